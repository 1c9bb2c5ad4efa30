import type { SquareErrorCode } from "@groupsync/square";

/**
 * Recognises errors of @groupsync/square by shape (an Error whose `code` starts with
 * `GS_SQUARE_`), so that the CLI maps them even when two copies of the package are loaded.
 */
export interface SquareErrorDescription {
  readonly code: string;
  readonly message: string;
  readonly hint: string | undefined;
  /** Square's own error code (`NOT_FOUND`, `INSUFFICIENT_SCOPES`), when Square answered. */
  readonly squareCode: string | undefined;
}

export function describeSquareError(error: unknown): SquareErrorDescription | undefined {
  if (!(error instanceof Error)) return undefined;
  const fields = error as Error & { code?: unknown; hint?: unknown; squareCode?: unknown };
  if (typeof fields.code !== "string" || !fields.code.startsWith("GS_SQUARE_")) return undefined;
  return {
    code: fields.code,
    message: error.message,
    hint: squareHint(fields.code, typeof fields.hint === "string" ? fields.hint : undefined),
    squareCode: typeof fields.squareCode === "string" ? fields.squareCode : undefined,
  };
}

/**
 * The hint the CLI shows under an error of @groupsync/square: its own where the fix is one of
 * its flags or environment variables (the library names neither), else the library's.
 */
export function squareHint(code: string, libraryHint: string | undefined): string | undefined {
  return CLI_HINTS[code as SquareErrorCode] ?? libraryHint;
}

const CLI_HINTS: Partial<Record<SquareErrorCode, string>> = {
  GS_SQUARE_UNAUTHORIZED:
    "Check SQUARE_ACCESS_TOKEN, and that SQUARE_ENVIRONMENT (production or sandbox) is the one the token belongs to.",
  GS_SQUARE_RATE_LIMITED: "Square is rate limiting this account: try again later, or lower --concurrency.",
  GS_SQUARE_NETWORK_ERROR: "Check the network connection and SQUARE_ENVIRONMENT / SQUARE_BASE_URL.",
  GS_SQUARE_INVALID_RESPONSE: "Is SQUARE_BASE_URL pointing at the Square API?",
  GS_SQUARE_TIMEOUT:
    "Check the network and SQUARE_ENVIRONMENT / SQUARE_BASE_URL (https://issquareup.com shows outages); " +
    "give a slow Square longer with --timeout (e.g. --timeout 2m).",
  GS_SQUARE_INVALID_BASE_URL:
    "For example SQUARE_BASE_URL=http://127.0.0.1:4010; the token goes in SQUARE_ACCESS_TOKEN, never in the URL.",
};
