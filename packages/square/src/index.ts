export {
  createSquareClient,
  SQUARE_BASE_URLS,
  SQUARE_VERSION,
  type CallStats,
  type SquareClient,
  type SquareClientOptions,
  type SquareEnvironment,
  type SquareRequest,
} from "./client.js";
export { ConcurrencyLimiter, type ConcurrencyOptions } from "./concurrency-limiter.js";
export {
  addGroupToCustomer,
  BULK_CREATE_MAX,
  BULK_RETRIEVE_MAX,
  bulkCreateCustomers,
  bulkRetrieveCustomers,
  type BulkCreateOutcome,
  createCustomer,
  listCustomers,
  removeGroupFromCustomer,
  searchCustomers,
  type ListCustomersOptions,
} from "./customers-api.js";
export {
  SquareApiError,
  SquareAuthError,
  SquareClosedError,
  SquareError,
  SquareNetworkError,
  SquareOptionsError,
  SquareRateLimitError,
  SquareResponseError,
  SquareServerError,
  SquareStalePlanError,
  type SquareApiErrorInit,
  type SquareErrorCode,
  type SquareOperation,
  type StaleReason,
  type StaleReasonCode,
} from "./errors.js";
export {
  createGroup,
  deleteGroup,
  listGroups,
  renameGroup,
  retrieveGroup,
  type PageOptions,
} from "./groups-api.js";
export { createRedactor, REDACTED } from "./redact.js";
export { backoffDelay, parseRetryAfter, type RetryOptions } from "./retry-policy.js";
export type {
  SquareCustomer,
  SquareCustomerFilter,
  SquareCustomerGroup,
  SquareCustomerQuery,
  SquareErrorBody,
  SquareNewCustomer,
  SquareTimeRange,
} from "./square-types.js";
export {
  APPLY_ORDER,
  APPLY_PHASES,
  applyPlan,
  type ActionError,
  type ActionResult,
  type ApplyPlanOptions,
  type ApplyProgressEvent,
  type ApplyResult,
  type VerifyMismatch,
} from "./apply-plan.js";
export { checkPreconditions } from "./check-preconditions.js";
export { createCustomerKey, createGroupKey, idempotencyAccount } from "./idempotency-keys.js";
export { canonicalJson, planId } from "./plan-id.js";
export {
  readAndPlan,
  readLiveState,
  toLiveProfile,
  type ReadLiveStateOptions,
  type ReadProgressEvent,
} from "./read-live-state.js";
export { searchAllCustomers, searchCustomerPages, type SplitOptions } from "./search-all.js";
