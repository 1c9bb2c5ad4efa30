import type { ErrorObject } from "ajv";
import { schema } from "./validate-plan.generated.js";

/**
 * ajv's errors for a plan as one sentence naming the field (`actions[3].groupId must be a
 * non-empty string`): the first error, or the `oneOf` / `anyOf` choice a failed branch belongs
 * to. The words for a missing or mistyped field come from the schema that failed, so they follow
 * plan.schema.json.
 */
export function describePlanError(errors: readonly ErrorObject[]): string {
  const first = errors[0];
  if (first === undefined) return "it does not match plan.schema.json";
  const choice = errors.find(
    (e) =>
      (e.keyword === "oneOf" || e.keyword === "anyOf") &&
      e.instancePath === first.instancePath &&
      first.schemaPath.startsWith(`${e.schemaPath}/`),
  );
  return describe(choice ?? first);
}

function describe(error: ErrorObject): string {
  const segments = error.instancePath.split("/").slice(1).map(unescapePointer);
  const at = displayPath(segments);
  const params = error.params as Record<string, unknown>;
  // `verbose`: the schema that holds the failing keyword.
  const holder = resolve(error.parentSchema);
  switch (error.keyword) {
    case "required": {
      const key = String(params["missingProperty"]);
      const property = resolve(record(holder?.["properties"])?.[key]);
      return `${displayPath([...segments, key])} ${expectation(property)}`;
    }
    case "discriminator":
      return params["error"] === "mapping"
        ? `${displayPath([...segments, "type"])} ${JSON.stringify(params["tagValue"])} is not an action groupsync knows`
        : `${displayPath([...segments, "type"])} must be a non-empty string`;
    case "oneOf":
    case "anyOf": {
      const keys = ((holder?.[error.keyword] as unknown[] | undefined) ?? []).flatMap(
        (branch) => (record(branch)?.["required"] as string[] | undefined) ?? [],
      );
      return error.keyword === "oneOf"
        ? `${at} needs exactly one of ${keys.join(" and ")}`
        : `${at} needs ${keys.join(" or ")}`;
    }
    default:
      return `${at} ${expectation(holder)}`;
  }
}

/** What a value of this (resolved) schema must be, as the end of a sentence. */
function expectation(node: Record<string, unknown> | undefined): string {
  if (node === undefined) return "is not valid";
  if (Array.isArray(node["enum"])) return `must be one of ${node["enum"].join(", ")}`;
  switch (node["type"]) {
    case "object":
      return "must be an object";
    case "array":
      return "must be an array";
    case "string":
      return node["minLength"] === 1 ? "must be a non-empty string" : "must be a string";
    case "integer":
      return "must be a whole number";
    case "number":
      return "must be a number";
    case "boolean":
      return "must be true or false";
    default:
      return "is not valid";
  }
}

/** The schema node, or the one its `$ref` (`#/definitions/...`) names. */
function resolve(node: unknown): Record<string, unknown> | undefined {
  const found = record(node);
  const ref = found?.["$ref"];
  if (typeof ref !== "string") return found;
  let target: unknown = schema;
  for (const segment of ref.replace(/^#\//, "").split("/"))
    target = record(target)?.[unescapePointer(segment)];
  return resolve(target);
}

/** `["actions", "3", "groupRef"]` -> `actions[3].groupRef`; no segments: `the document`. */
function displayPath(segments: readonly string[]): string {
  if (segments.length === 0) return "the document";
  return segments.reduce(
    (path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`),
    "",
  );
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
