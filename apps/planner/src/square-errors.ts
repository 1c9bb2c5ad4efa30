/**
 * Recognises errors of @groupsync/square by shape (an Error whose `code` starts with
 * `SQUARE_` or `GS_SQUARE_`), so that the CLI maps them even when two copies of the package
 * are loaded.
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
  if (typeof fields.code !== "string" || !/^(GS_)?SQUARE_/.test(fields.code)) return undefined;
  return {
    code: fields.code,
    message: error.message,
    hint: typeof fields.hint === "string" ? fields.hint : defaultHint(fields.code),
    squareCode: typeof fields.squareCode === "string" ? fields.squareCode : undefined,
  };
}

function defaultHint(code: string): string | undefined {
  switch (code) {
    case "SQUARE_UNAUTHORIZED":
      return "Check SQUARE_ACCESS_TOKEN, and that SQUARE_ENVIRONMENT (production or sandbox) is the one the token belongs to.";
    case "SQUARE_FORBIDDEN":
      return "The token needs CUSTOMERS_READ to plan and import, and CUSTOMERS_WRITE to apply.";
    case "SQUARE_RATE_LIMITED":
      return "Square kept answering 429; wait a minute, or lower --concurrency, and run the command again.";
    case "SQUARE_SERVER_ERROR":
    case "SQUARE_NETWORK_ERROR":
      return "Nothing is lost: run the command again; a plan after a partial apply shows what is left.";
    case "GS_SQUARE_TIMEOUT":
      return (
        "Check the network and SQUARE_ENVIRONMENT / SQUARE_BASE_URL (https://issquareup.com shows outages); " +
        "give a slow Square longer with --timeout (e.g. --timeout 2m)."
      );
    default:
      return undefined;
  }
}
