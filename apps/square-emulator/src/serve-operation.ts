import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";
import { MAX_BODY_BYTES } from "./http-io.js";
import type { IdempotencyStore } from "./idempotency.js";
import type { matchOperation, OperationResult } from "./operations.js";
import type { SortCache } from "./search/sort-cache.js";
import type { Store } from "./store.js";
import { parseJsonObject, type JsonObject } from "./validate.js";

/** The Square-Version the emulator answers with when a request names none. */
export const DEFAULT_SQUARE_VERSION = "2025-08-20";
/** The first Square-Version with the Customer Groups API. */
const GROUPS_MIN_VERSION = "2020-04-22";

/** What an operation's handler works on, and the tokens it accepts. */
export interface ServeContext {
  readonly token: string;
  readonly readOnlyToken: string;
  readonly store: Store;
  readonly idempotency: IdempotencyStore;
  readonly sortCache: SortCache;
}

export type OperationMatch = NonNullable<ReturnType<typeof matchOperation>>;

/**
 * Auth, Square-Version, body parsing and the operation's handler, in the order Square checks
 * them; throws ApiError with Square's error for the first that fails.
 */
export function serveOperation(
  ctx: ServeContext,
  req: IncomingMessage,
  url: URL,
  match: OperationMatch,
  raw: Buffer | undefined,
): { result: OperationResult; version: string } {
  const bearer = authorize(ctx, req.headers.authorization);
  if (match.operation.write && bearer !== ctx.token) {
    throw new ApiError(403, {
      category: "AUTHENTICATION_ERROR",
      code: "INSUFFICIENT_SCOPES",
      detail:
        "The merchant has not given your application sufficient permissions to do this. CUSTOMERS_WRITE",
    });
  }
  const version = squareVersion(req.headers["square-version"], match);
  const body = parseBody(raw, match.operation.method);
  const result = match.operation.handle({
    params: match.params,
    query: url.searchParams,
    body,
    store: ctx.store,
    idempotency: ctx.idempotency,
    sortCache: ctx.sortCache,
  });
  return { result, version };
}

/** The bearer token, when it is one the emulator gave out. */
function authorize(ctx: ServeContext, auth: string | undefined): string {
  if (auth === undefined || auth === "") {
    throw new ApiError(401, {
      category: "AUTHENTICATION_ERROR",
      code: "UNAUTHORIZED",
      detail: "Your request did not include an `Authorization` http header with an access token.",
    });
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
  if (bearer === undefined || (bearer !== ctx.token && bearer !== ctx.readOnlyToken)) {
    throw new ApiError(401, {
      category: "AUTHENTICATION_ERROR",
      code: "UNAUTHORIZED",
      detail: "This request could not be authorized.",
    });
  }
  return bearer;
}

function squareVersion(header: string | string[] | undefined, match: OperationMatch): string {
  const version = typeof header === "string" && header !== "" ? header : DEFAULT_SQUARE_VERSION;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) {
    throw new ApiError(400, {
      category: "INVALID_REQUEST_ERROR",
      code: "INVALID_SQUARE_VERSION_FORMAT",
      detail: "Square-Version must look like YYYY-MM-DD.",
    });
  }
  if (match.operation.path.includes("/groups") && version < GROUPS_MIN_VERSION) {
    throw new ApiError(400, {
      category: "INVALID_REQUEST_ERROR",
      code: "API_VERSION_INCOMPATIBLE",
      detail: `The Customer Groups API needs Square-Version ${GROUPS_MIN_VERSION} or later.`,
    });
  }
  return version;
}

function parseBody(raw: Buffer | undefined, method: string): JsonObject {
  if (raw === undefined) {
    throw new ApiError(413, {
      category: "INVALID_REQUEST_ERROR",
      code: "REQUEST_ENTITY_TOO_LARGE",
      detail: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
    });
  }
  const text = raw.toString("utf8");
  if ((method !== "POST" && method !== "PUT") || text.trim() === "") return {};
  return parseJsonObject(text, {
    invalid: "The request body is not valid JSON.",
    notObject: "The request body must be a JSON object.",
  });
}
