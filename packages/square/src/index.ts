export {
  checkBaseUrl,
  SQUARE_BASE_URLS,
  type BaseUrlCheck,
  type BaseUrlErrorCode,
  type SquareEnvironment,
} from "./base-url.js";
export type { CallStats } from "./call-stats.js";
export {
  createSquareClient,
  SQUARE_VERSION,
  type SquareClient,
  type SquareClientOptions,
  type WaitingRequest,
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
  SquareAbortedError,
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
  SquareTimeoutError,
  type ActionErrorCode,
  type SquareApiErrorInit,
  type SquareErrorCode,
  type SquareOperation,
  type StaleReason,
  type StaleReasonCode,
} from "./errors.js";
export { createGroup, deleteGroup, listGroups, renameGroup, retrieveGroup } from "./groups-api.js";
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
export { APPLY_ORDER, APPLY_PHASES, applyPlan, type ApplyPlanOptions } from "./apply-plan.js";
export type {
  ActionError,
  ActionResult,
  ApplyProgressEvent,
  ApplyResult,
  VerifyMismatch,
} from "./apply-result.js";
export { countDeletedGroupMembers, countGroupMembers } from "./read/count-group-members.js";
export { checkPreconditions } from "./check-preconditions.js";
export { createCustomerKey, createGroupKey, idempotencyAccount } from "./idempotency-keys.js";
export { paginate, type Page, type PageOptions, type PaginateOptions } from "./paginate.js";
export type { SquareRequest } from "./square-request.js";
export { canonicalJson, planId } from "./plan-id.js";
export {
  readAndPlan,
  readLiveState,
  type ReadLiveStateOptions,
  type ReadProgressEvent,
} from "./read/read-live-state.js";
export { toLiveProfile } from "./read/to-live.js";
export { searchAllCustomers, searchCustomerPages, type SplitOptions } from "./search-all.js";
