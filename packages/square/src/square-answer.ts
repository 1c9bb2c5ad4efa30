// What an answer from Square means: the parsed body of a 2xx, the typed error of any other
// status, and the words for an attempt that got no answer at all.
import {
  SquareApiError,
  SquareAuthError,
  SquareRateLimitError,
  SquareResponseError,
  SquareServerError,
  type SquareErrorCode,
  type SquareOperation,
} from "./errors.js";
import { redactCause } from "./redact.js";
import type { SquareErrorBody } from "./square-types.js";

const WRITE_OPERATIONS: ReadonlySet<SquareOperation> = new Set([
  "CreateCustomerGroup",
  "UpdateCustomerGroup",
  "DeleteCustomerGroup",
  "CreateCustomer",
  "BulkCreateCustomers",
  "AddGroupToCustomer",
  "RemoveGroupFromCustomer",
]);

/** A 2xx body as JSON (an empty body as `{}`); a body that is not JSON is a SquareResponseError. */
export function parseSuccess<T>(
  operation: SquareOperation,
  status: number,
  text: string,
  redact: (text: string) => string,
): T {
  if (text.trim() === "") return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new SquareResponseError(operation, status, redactCause(error, redact));
  }
}

/** The `errors` of an error answer, each field redacted and cut to 1,000 characters. */
export function parseErrors(text: string, redact: (text: string) => string): SquareErrorBody[] {
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) {
      return parsed.errors.map((raw: unknown) => {
        const e = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
        const out: { category?: string; code?: string; detail?: string; field?: string } = {};
        for (const key of ["category", "code", "detail", "field"] as const) {
          if (typeof e[key] === "string") out[key] = redact(e[key]).slice(0, 1000);
        }
        return out;
      });
    }
  } catch {
    // not JSON: a proxy's HTML page, say; the status alone has to do
  }
  return [];
}

/** The typed error for a non-2xx status, with the hint the user can act on. */
export function apiError(
  operation: SquareOperation,
  status: number,
  errors: readonly SquareErrorBody[],
  attempts: number,
): SquareApiError {
  const init = { operation, status, errors, attempts };
  if (status === 401) {
    return new SquareAuthError({
      ...init,
      code: "GS_SQUARE_UNAUTHORIZED",
      hint: "Check the access token, and that it belongs to this environment (production or sandbox).",
    });
  }
  if (status === 403) {
    const scope = WRITE_OPERATIONS.has(operation) ? "CUSTOMERS_WRITE" : "CUSTOMERS_READ";
    return new SquareAuthError({
      ...init,
      code: "GS_SQUARE_FORBIDDEN",
      hint: `The access token lacks a permission: ${operation} needs ${scope}. Grant it to the application or use another token.`,
    });
  }
  if (status === 429) {
    return new SquareRateLimitError({
      ...init,
      code: "GS_SQUARE_RATE_LIMITED",
      hint: "Square is rate limiting this account: try again later, or send fewer requests at once.",
    });
  }
  if (status >= 500) {
    return new SquareServerError({
      ...init,
      code: "GS_SQUARE_SERVER_ERROR",
      hint: "Square failed to answer; try again later (https://issquareup.com shows outages).",
    });
  }
  const code: SquareErrorCode = status === 404 ? "GS_SQUARE_NOT_FOUND" : "GS_SQUARE_BAD_REQUEST";
  return new SquareApiError({ ...init, code });
}

/** An attempt without an answer in words: its message and its error codes (`ECONNRESET`). */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return "the request failed";
  const code = (error as { code?: unknown }).code;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  const parts = [
    typeof code === "string" ? code : undefined,
    typeof causeCode === "string" ? causeCode : undefined,
  ];
  const codes = parts.filter((p): p is string => p !== undefined && p !== "").join("/");
  return codes === "" ? error.message : `${error.message} (${codes})`;
}
