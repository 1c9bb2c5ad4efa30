import type { BaseUrlErrorCode } from "./base-url.js";
import type { SquareErrorBody } from "./square-types.js";

/**
 * Stable codes of every error this package throws (public API: the CLI maps them to messages
 * and exit codes).
 */
export type SquareErrorCode =
  /** Options the client cannot work with (no token, an unknown environment). */
  | "GS_SQUARE_INVALID_OPTIONS"
  /** See BaseUrlErrorCode. */
  | BaseUrlErrorCode
  /** 401: the token is unknown, expired or revoked. */
  | "GS_SQUARE_UNAUTHORIZED"
  /** 403: the token lacks a scope (CUSTOMERS_READ / CUSTOMERS_WRITE). */
  | "GS_SQUARE_FORBIDDEN"
  /** 404: the object does not exist (anymore). */
  | "GS_SQUARE_NOT_FOUND"
  /** Any other 4xx except 429: the request itself is wrong; never retried. */
  | "GS_SQUARE_BAD_REQUEST"
  /** 429 on every attempt until the retry budget ran out. */
  | "GS_SQUARE_RATE_LIMITED"
  /** 5xx on every attempt until the retry budget ran out. */
  | "GS_SQUARE_SERVER_ERROR"
  /** The connection failed, was reset or timed out on every attempt. */
  | "GS_SQUARE_NETWORK_ERROR"
  /** A 2xx whose body is not the JSON Square documents. */
  | "GS_SQUARE_INVALID_RESPONSE"
  /** A saved plan whose preconditions no longer hold; nothing was applied. */
  | "GS_SQUARE_STALE_PLAN"
  /** The client was closed before the request. */
  | "GS_SQUARE_CLIENT_CLOSED"
  /** No answer within the request timeout, on every attempt. */
  | "GS_SQUARE_TIMEOUT"
  /** The client's abort signal stopped the request: not sent, or abandoned in flight. */
  | "GS_SQUARE_ABORTED";

/** Why `applyPlan` did not do an action: the SquareErrorCode of its failure, or one of these. */
export type ActionErrorCode =
  | SquareErrorCode
  /** Skipped: an action it needs (the group or profile it adds to) was not done. */
  | "GS_SQUARE_DEPENDENCY_FAILED"
  /** An unexpected error (a bug). */
  | "GS_SQUARE_INTERNAL";

/** Square operation names, as in the API reference (`SearchCustomers`, ...). */
export type SquareOperation =
  | "ListCustomerGroups"
  | "CreateCustomerGroup"
  | "RetrieveCustomerGroup"
  | "UpdateCustomerGroup"
  | "DeleteCustomerGroup"
  | "ListCustomers"
  | "CreateCustomer"
  | "BulkCreateCustomers"
  | "RetrieveCustomer"
  | "BulkRetrieveCustomers"
  | "SearchCustomers"
  | "AddGroupToCustomer"
  | "RemoveGroupFromCustomer";

interface SquareErrorOptions {
  readonly cause?: unknown;
  readonly hint?: string;
}

/** Base of every error of @groupsync/square. It never holds the access token. */
export class SquareError extends Error {
  override name = "SquareError";
  readonly code: SquareErrorCode;
  /** What the user can do about it, when there is something. */
  readonly hint?: string;

  constructor(code: SquareErrorCode, message: string, options: SquareErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** The options given to `createSquareClient` cannot work. */
export class SquareOptionsError extends SquareError {
  override name = "SquareOptionsError";
  constructor(
    message: string,
    hint?: string,
    code: "GS_SQUARE_INVALID_OPTIONS" | BaseUrlErrorCode = "GS_SQUARE_INVALID_OPTIONS",
  ) {
    super(code, message, hint === undefined ? {} : { hint });
  }
}

export interface SquareApiErrorInit {
  readonly code: SquareErrorCode;
  readonly operation: SquareOperation;
  readonly status: number;
  readonly errors: readonly SquareErrorBody[];
  readonly attempts: number;
  readonly hint?: string;
}

/** Square answered with an HTTP error (4xx/5xx) and the `errors` body it documents. */
export class SquareApiError extends SquareError {
  override name = "SquareApiError";
  readonly operation: SquareOperation;
  readonly status: number;
  /** Category of the first error (`INVALID_REQUEST_ERROR`, ...). */
  readonly category: string | undefined;
  /** Square's code of the first error (`NOT_FOUND`, `RATE_LIMITED`, ...). */
  readonly squareCode: string | undefined;
  readonly detail: string | undefined;
  readonly field: string | undefined;
  /** Every error Square listed. */
  readonly errors: readonly SquareErrorBody[];
  /** How many requests were sent (1 + retries). */
  readonly attempts: number;

  constructor(init: SquareApiErrorInit, message?: string) {
    const first = init.errors[0];
    const what = first?.code ?? `HTTP ${init.status}`;
    const detail = first?.detail === undefined ? "" : `: ${first.detail}`;
    const tries = init.attempts > 1 ? ` (after ${init.attempts} attempts)` : "";
    super(
      init.code,
      message ?? `${init.operation} failed with ${init.status} ${what}${detail}${tries}`,
      init.hint === undefined ? {} : { hint: init.hint },
    );
    this.operation = init.operation;
    this.status = init.status;
    this.category = first?.category;
    this.squareCode = first?.code;
    this.detail = first?.detail;
    this.field = first?.field;
    this.errors = init.errors;
    this.attempts = init.attempts;
  }
}

/** 401 or 403: the token is wrong, for the wrong environment, or lacks a scope. */
export class SquareAuthError extends SquareApiError {
  override name = "SquareAuthError";
}

/** 429 until the retry budget ran out. */
export class SquareRateLimitError extends SquareApiError {
  override name = "SquareRateLimitError";
}

/** 5xx until the retry budget ran out. */
export class SquareServerError extends SquareApiError {
  override name = "SquareServerError";
}

/** The connection failed (refused, reset, timed out) on every attempt. */
export class SquareNetworkError extends SquareError {
  override name = "SquareNetworkError";
  readonly operation: SquareOperation;
  readonly attempts: number;
  constructor(operation: SquareOperation, attempts: number, reason: string, cause: unknown) {
    super(
      "GS_SQUARE_NETWORK_ERROR",
      `${operation} failed: ${reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
      { cause, hint: "Check the network connection and the base URL." },
    );
    this.operation = operation;
    this.attempts = attempts;
  }
}

/**
 * Square accepted the connection but did not answer within the request timeout, on every
 * attempt. Names the endpoint (operation, method, path: no query, no token) and the tries.
 */
export class SquareTimeoutError extends SquareError {
  override name = "SquareTimeoutError";
  readonly operation: SquareOperation;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly timeoutMs: number;
  constructor(
    init: { operation: SquareOperation; method: string; path: string; attempts: number; timeoutMs: number },
    cause?: unknown,
  ) {
    const tries = init.attempts === 1 ? "1 try" : `${init.attempts} tries`;
    super(
      "GS_SQUARE_TIMEOUT",
      `Square did not answer ${init.operation} (${init.method} ${init.path}) within ${formatMs(init.timeoutMs)} (${tries}).`,
      cause === undefined ? {} : { cause },
    );
    this.operation = init.operation;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.timeoutMs = init.timeoutMs;
  }
}

/**
 * The client's `signal` was aborted. `inFlight` false: the request was never sent (or not sent
 * again). `inFlight` true: it was sent and abandoned before Square answered, so Square may or may
 * not have applied it.
 */
export class SquareAbortedError extends SquareError {
  override name = "SquareAbortedError";
  readonly operation: SquareOperation;
  readonly inFlight: boolean;
  constructor(operation: SquareOperation, inFlight: boolean, cause?: unknown) {
    super(
      "GS_SQUARE_ABORTED",
      inFlight
        ? `${operation} was abandoned before Square answered: it may or may not have been applied`
        : `${operation} was not sent: stopped`,
      cause === undefined ? {} : { cause },
    );
    this.operation = operation;
    this.inFlight = inFlight;
  }
}

/** `500 ms`, `30 s`, `1.5 s`, `2 min`. */
function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${+(ms / 1000).toFixed(1)} s`;
  return `${ms / 60_000} min`;
}

/** A 2xx response whose body is not JSON, or lacks what the operation returns. */
export class SquareResponseError extends SquareError {
  override name = "SquareResponseError";
  readonly operation: SquareOperation;
  readonly status: number;
  constructor(operation: SquareOperation, status: number, cause?: unknown, what = "a body that is not JSON") {
    super("GS_SQUARE_INVALID_RESPONSE", `${operation} returned ${status} with ${what}`, {
      cause,
      hint: "Is the base URL the Square API's?",
    });
    this.operation = operation;
    this.status = status;
  }
}

/** Which precondition of a saved plan failed. */
export type StaleReasonCode =
  /** A group the plan touches no longer exists. */
  | "GS_SQUARE_STALE_GROUP_MISSING"
  /** A group the plan touches has another name now. */
  | "GS_SQUARE_STALE_GROUP_RENAMED"
  /** A group the plan creates exists already (made by someone else since the plan). */
  | "GS_SQUARE_STALE_GROUP_NAME_TAKEN"
  /** A profile the plan adds or removes no longer exists. */
  | "GS_SQUARE_STALE_PROFILE_MISSING"
  /** A profile joined or left a group the plan changes its membership of. */
  | "GS_SQUARE_STALE_MEMBERSHIP_CHANGED"
  /** A profile the plan adds no longer matches the rule that selected it (its email/phone changed). */
  | "GS_SQUARE_STALE_PROFILE_CHANGED"
  /** A profile the plan creates exists already (made elsewhere since the plan, e.g. at the point of sale). */
  | "GS_SQUARE_STALE_PROFILE_EXISTS";

/** Why a saved plan no longer fits the account. */
export interface StaleReason {
  readonly code: StaleReasonCode;
  readonly message: string;
  readonly groupId?: string;
  readonly customerId?: string;
}

/** `applyPlan` refused a plan whose preconditions no longer hold; nothing was applied. */
export class SquareStalePlanError extends SquareError {
  override name = "SquareStalePlanError";
  readonly reasons: readonly StaleReason[];
  constructor(reasons: readonly StaleReason[]) {
    const shown = reasons.slice(0, 5).map((r) => `\n  - ${r.message}`);
    const more = reasons.length > 5 ? `\n  ... and ${reasons.length - 5} more` : "";
    super("GS_SQUARE_STALE_PLAN", `The saved plan is stale; nothing was applied.${shown.join("")}${more}`, {
      hint: "Plan again and apply the new plan.",
    });
    this.reasons = reasons;
  }
}

/** The client was closed. */
export class SquareClosedError extends SquareError {
  override name = "SquareClosedError";
  constructor(operation: SquareOperation) {
    super("GS_SQUARE_CLIENT_CLOSED", `${operation} was called after the client was closed`);
  }
}
