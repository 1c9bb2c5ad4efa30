import { badRequest } from "./api-error.js";

/** A JSON object as parsed from a request body. */
export type JsonObject = Record<string, unknown>;

/** Whether `v` is a plain JSON object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `text` parsed as a JSON object; 400 BAD_REQUEST when it is not JSON, 400 EXPECTED_JSON_BODY
 * when it is JSON but not an object (Square's codes), with the details given.
 */
export function parseJsonObject(
  text: string,
  details: { readonly invalid: string; readonly notObject: string },
): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest("BAD_REQUEST", details.invalid);
  }
  if (!isObject(parsed)) throw badRequest("EXPECTED_JSON_BODY", details.notObject);
  return parsed;
}

/** `v` as an object (absent: undefined); 400 EXPECTED_OBJECT otherwise. */
export function optionalObject(v: unknown, field: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw badRequest("EXPECTED_OBJECT", `Expected \`${field}\` to be an object.`, field);
  return v;
}

/** `v` as a string (absent: undefined); 400 EXPECTED_STRING otherwise. */
export function optionalString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string")
    throw badRequest("EXPECTED_STRING", `Expected \`${field}\` to be a string.`, field);
  return v;
}

/** `v` as a boolean (absent: undefined); 400 EXPECTED_BOOLEAN otherwise. */
export function optionalBoolean(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") {
    throw badRequest("EXPECTED_BOOLEAN", `Expected \`${field}\` to be a boolean.`, field);
  }
  return v;
}

/** `v` as an integer (absent: undefined); 400 EXPECTED_INTEGER otherwise. */
export function optionalInteger(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw badRequest("EXPECTED_INTEGER", `Expected \`${field}\` to be an integer.`, field);
  }
  return v;
}

/** `v` as an array of strings (absent: undefined); 400 otherwise; at most `max` entries. */
export function optionalStringArray(v: unknown, field: string, max: number): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badRequest("EXPECTED_ARRAY", `Expected \`${field}\` to be an array.`, field);
  if (v.length > max) {
    throw badRequest(
      "ARRAY_LENGTH_TOO_LONG",
      `\`${field}\` must have at most ${max} entries; it has ${v.length}.`,
      field,
    );
  }
  v.forEach((item, i) => {
    if (typeof item !== "string") {
      throw badRequest(
        "INVALID_ARRAY_VALUE",
        `Expected \`${field}[${i}]\` to be a string.`,
        `${field}[${i}]`,
      );
    }
  });
  return v as string[];
}

/** Checks `1 <= limit <= max` as Square does (VALUE_TOO_LOW / VALUE_TOO_HIGH). */
export function checkLimit(limit: number, max: number): number {
  if (limit < 1) throw badRequest("VALUE_TOO_LOW", `\`limit\` must be at least 1; it is ${limit}.`, "limit");
  if (limit > max) {
    throw badRequest("VALUE_TOO_HIGH", `\`limit\` must be at most ${max}; it is ${limit}.`, "limit");
  }
  return limit;
}

/** A `limit` query parameter: absent -> `fallback`; not an integer -> 400 INVALID_VALUE; range checked. */
export function queryLimit(raw: string | null, max: number, fallback: number): number {
  if (raw === null || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest("INVALID_VALUE", "`limit` must be an integer.", "limit");
  return checkLimit(Number(raw), max);
}

/** Rejects keys of `obj` outside `allowed` with 400 BAD_REQUEST (Square does since 2022-03-16). */
export function rejectUnknownFields(obj: JsonObject, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const field = prefix ? `${prefix}.${key}` : key;
      throw badRequest("BAD_REQUEST", `Unknown field \`${field}\`.`, field);
    }
  }
}

/** Checks a string's length (VALUE_TOO_LONG). */
export function checkMaxLength(value: string, max: number, field: string): void {
  if (value.length > max) {
    throw badRequest("VALUE_TOO_LONG", `\`${field}\` must be at most ${max} characters long.`, field);
  }
}
