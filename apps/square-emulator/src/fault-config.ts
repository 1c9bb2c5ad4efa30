import { badRequest } from "./api-error.js";
import type { DelaySpec, FaultOptions } from "./types.js";
import { isObject, type JsonObject } from "./validate.js";

function delaySpec(v: unknown, field: string): DelaySpec {
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v;
  if (isObject(v)) {
    const { min, max } = v;
    if (typeof min === "number" && typeof max === "number" && min >= 0 && max >= min) return { min, max };
  }
  throw badRequest(
    "INVALID_VALUE",
    `\`${field}\` must be milliseconds >= 0 or {min, max} with min <= max.`,
    field,
  );
}

function share(v: unknown, field: string): number {
  if (typeof v === "number" && v >= 0 && v <= 1) return v;
  throw badRequest("INVALID_VALUE", `\`${field}\` must be a number from 0 to 1.`, field);
}

/**
 * Validates a body of `POST /_emulator/configure` (a partial {@link FaultOptions};
 * `rateLimit: null` removes the limit). Unknown fields are 400 BAD_REQUEST.
 */
export function parseFaultOptions(body: JsonObject): Partial<FaultOptions> {
  const out: Partial<FaultOptions> = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case "searchLagMs":
      case "latencyMs":
        out[key] = delaySpec(value, key);
        break;
      case "faultRate":
      case "resetRate":
      case "throttleRate":
        out[key] = share(value, key);
        break;
      case "rateLimit":
        if (value !== null && !(typeof value === "number" && value > 0)) {
          throw badRequest("INVALID_VALUE", "`rateLimit` must be requests per second > 0, or null.", key);
        }
        out.rateLimit = value ?? undefined;
        break;
      default:
        throw badRequest("BAD_REQUEST", `Unknown field \`${key}\`.`, key);
    }
  }
  return out;
}
