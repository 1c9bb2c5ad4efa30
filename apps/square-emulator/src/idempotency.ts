import { badRequest } from "./api-error.js";
import { checkMaxLength } from "./validate.js";

/** Max idempotency key length (undocumented by Square; the emulator chooses 128). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

interface Remembered {
  fingerprint: string;
  status: number;
  body: unknown;
}

/** JSON with object keys sorted, so equal requests have equal fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Responses remembered by idempotency key, per operation, for the emulator's lifetime: the
 * same key and request get the first response again; the same key with another request gets
 * 400 IDEMPOTENCY_KEY_REUSED.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Remembered>();

  /** Checks a key's length (1..128). */
  static check(key: string, field: string): void {
    if (key.length === 0) {
      throw badRequest("VALUE_TOO_SHORT", `\`${field}\` must be at least 1 character long.`, field);
    }
    checkMaxLength(key, MAX_IDEMPOTENCY_KEY_LENGTH, field);
  }

  /**
   * The remembered response for `key`, undefined when new; throws on reuse with another request
   * (the error names `field`, where the key was given).
   */
  lookup(
    operation: string,
    key: string,
    request: unknown,
    field = "idempotency_key",
  ): { status: number; body: unknown } | undefined {
    const found = this.entries.get(`${operation}\u0000${key}`);
    if (!found) return undefined;
    if (found.fingerprint !== canonicalJson(request)) {
      throw badRequest(
        "IDEMPOTENCY_KEY_REUSED",
        `The idempotency key \`${key}\` was already used for a different request.`,
        field,
      );
    }
    return { status: found.status, body: found.body };
  }

  /** Remembers the response to a request with `key`. */
  remember(operation: string, key: string, request: unknown, status: number, body: unknown): void {
    this.entries.set(`${operation}\u0000${key}`, { fingerprint: canonicalJson(request), status, body });
  }

  /** Forgets everything (on reset with new data). */
  clear(): void {
    this.entries.clear();
  }
}
