import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/**
 * The JSON Schema of groups.yaml (draft-07), as shipped in `@groupsync/config/groups.schema.json`
 * for editors. Loaded from the package root so the file editors see and the one the CLI
 * validates with are the same bytes.
 */
export const groupsSchema: Readonly<Record<string, unknown>> = createRequire(import.meta.url)(
  "../groups.schema.json",
) as Record<string, unknown>;

let validator: ValidateFunction | undefined;

/** Validates parsed data against `groupsSchema`, returning every error (ajv `allErrors`). */
export function validateSchema(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true }).compile(
    groupsSchema,
  );
  return validator(data) ? [] : [...(validator.errors ?? [])];
}
