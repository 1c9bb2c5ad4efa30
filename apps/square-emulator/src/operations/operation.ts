import { notFound } from "../api-error.js";
import { IdempotencyStore } from "../idempotency.js";
import type { SortCache } from "../search/sort-cache.js";
import type { Store } from "../store.js";
import { optionalString, type JsonObject } from "../validate.js";

/** What a handler sees of one request. */
export interface OperationContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
  store: Store;
  idempotency: IdempotencyStore;
  sortCache: SortCache;
}

/** A handler's answer (status 200 unless said). */
export interface OperationResult {
  status?: number;
  /** The JSON body: a value to stringify, or a `JsonBody` already serialized. */
  body: unknown;
  /** Whether the account changed (the state file is saved). */
  changed?: boolean;
}

/** One Square operation: method, path pattern, scope and handler. */
export interface Operation {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  write: boolean;
  handle(ctx: OperationContext): OperationResult;
}

export function groupNotFound(id: string): Error {
  return notFound(`Customer group with ID \`${id}\` not found.`, "group_id");
}

export function customerNotFound(id: string): Error {
  return notFound(`Customer with ID \`${id}\` not found.`, "customer_id");
}

export function idempotencyKey(body: JsonObject): string | undefined {
  const key = optionalString(body["idempotency_key"], "idempotency_key");
  if (key !== undefined) IdempotencyStore.check(key, "idempotency_key");
  return key;
}

/** Runs `create` once per idempotency key and request; replays the first answer after that. */
export function idempotent(
  ctx: OperationContext,
  operation: string,
  key: string | undefined,
  create: () => OperationResult,
): OperationResult {
  if (key === undefined) return create();
  const previous = ctx.idempotency.lookup(operation, key, ctx.body);
  if (previous) return { status: previous.status, body: previous.body };
  const result = create();
  ctx.idempotency.remember(operation, key, ctx.body, result.status ?? 200, result.body);
  return result;
}
