import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import { schema, validate as validateGenerated } from "./validate-groups.generated.js";

// ajv is loaded on the first file with a problem (see `validateSchema`).
const require = createRequire(import.meta.url);

/**
 * The JSON Schema of groups.yaml (draft-07), as shipped in `@groupsync/config/groups.schema.json`
 * for editors. The generated module holds a copy (test/schema.test.ts checks it is the same), so
 * that no file is read beside this module: the CLI's bundle has none beside it.
 */
export const groupsSchema: Readonly<Record<string, unknown>> = schema;

let validator: ValidateFunction | undefined;

/**
 * Validates parsed data against `groupsSchema`, returning every error (ajv `allErrors`).
 * `validateSchema: false` skips checking our own schema against the draft-07 meta-schema on every
 * run (compiling the meta-schema is most of ajv's cold start); the schema's tests check it once.
 * ajv itself is loaded here, on the first file with a problem, so a valid file never loads it.
 */
export function validateSchema(data: unknown): ErrorObject[] {
  validator ??= new (require("ajv") as { Ajv: typeof AjvClass }).Ajv({
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    strict: true,
    validateSchema: false,
  }).compile(groupsSchema);
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/**
 * Whether data passes `groupsSchema`, without the errors: the fast path's question. Answered by
 * ajv's code for the schema generated ahead of time (`scripts/compile-validator.ts`), so a valid
 * file does not pay for compiling a validator; `validateSchema` compiles one, with every error,
 * only for a file with problems.
 */
export function isValidAgainstSchema(data: unknown): boolean {
  return validateGenerated(data) === true;
}
