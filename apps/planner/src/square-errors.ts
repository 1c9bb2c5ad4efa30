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
    hint: typeof fields.hint === "string" ? fields.hint : defaultHint(fields.code),
    squareCode: typeof fields.squareCode === "string" ? fields.squareCode : undefined,
  };
}

function defaultHint(code: string): string | undefined {
  switch (code) {
    case "GS_SQUARE_UNAUTHORIZED":
      return "Check SQUARE_ACCESS_TOKEN, and that SQUARE_ENVIRONMENT (production or sandbox) is the one the token belongs to.";
    case "GS_SQUARE_FORBIDDEN":
      return "The token needs CUSTOMERS_READ to plan and import, and CUSTOMERS_WRITE to apply.";
    case "GS_SQUARE_RATE_LIMITED":
      return "Square kept answering 429; wait a minute, or lower --concurrency, and run the command again.";
    case "GS_SQUARE_SERVER_ERROR":
    case "GS_SQUARE_NETWORK_ERROR":
      return "Nothing is lost: run the command again; a plan after a partial apply shows what is left.";
    default:
      return undefined;
  }
}
