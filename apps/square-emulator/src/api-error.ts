/** Square error categories used by the emulator. */
export type ErrorCategory =
  "API_ERROR" | "AUTHENTICATION_ERROR" | "INVALID_REQUEST_ERROR" | "RATE_LIMIT_ERROR";

/** One entry of Square's `errors` array. */
export interface SquareErrorBody {
  category: ErrorCategory;
  code: string;
  detail?: string;
  field?: string;
}

/** An error answered to the client as `{errors:[...]}` with `status`. Thrown by handlers. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: SquareErrorBody[];
  readonly headers: Record<string, string>;

  constructor(status: number, error: SquareErrorBody, headers: Record<string, string> = {}) {
    super(error.detail ?? error.code);
    this.name = "ApiError";
    this.status = status;
    this.errors = [error];
    this.headers = headers;
  }
}

/** 400 INVALID_REQUEST_ERROR with `code`, `detail` and (when given) `field`. */
export function badRequest(code: string, detail: string, field?: string): ApiError {
  return new ApiError(400, {
    category: "INVALID_REQUEST_ERROR",
    code,
    detail,
    ...(field === undefined ? {} : { field }),
  });
}

/** 404 NOT_FOUND as Square words it ("Customer with ID `X` not found."). */
export function notFound(detail: string, field?: string): ApiError {
  return new ApiError(404, {
    category: "INVALID_REQUEST_ERROR",
    code: "NOT_FOUND",
    detail,
    ...(field === undefined ? {} : { field }),
  });
}
