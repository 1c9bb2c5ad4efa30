import { badRequest, notFound } from "./api-error.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { readCustomerFields, requirePublicField } from "./customer-fields.js";
import { IdempotencyStore } from "./idempotency.js";
import { bulkRetrieveJson, customerBodyJson, pageJson, type BulkRetrieveEntry } from "./json-body.js";
import { parseSearchRequest, type PageRequest } from "./search/parse-query.js";
import { searchPage } from "./search/search-page.js";
import { SortCache } from "./search/sort-cache.js";
import type { CustomerFields, CustomerRecord, GroupRecord, Store } from "./store.js";
import {
  checkMaxLength,
  isObject,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringArray,
  queryLimit,
  rejectUnknownFields,
  type JsonObject,
} from "./validate.js";

/** Max group name length (undocumented by Square; the emulator chooses 255). */
export const MAX_GROUP_NAME_LENGTH = 255;
/** Max IDs in one BulkRetrieveCustomers call (undocumented; the emulator chooses 100). */
export const MAX_BULK_RETRIEVE = 100;

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

function groupNotFound(id: string): Error {
  return notFound(`Customer group with ID \`${id}\` not found.`, "group_id");
}

function customerNotFound(id: string): Error {
  return notFound(`Customer with ID \`${id}\` not found.`, "customer_id");
}

function readGroupName(body: JsonObject, allowed: readonly string[]): string {
  rejectUnknownFields(body, allowed, "");
  const group = optionalObject(body["group"], "group");
  if (!group) throw badRequest("MISSING_REQUIRED_PARAMETER", "Field `group` is required.", "group");
  rejectUnknownFields(group, ["id", "name", "created_at", "updated_at"], "group");
  const name = optionalString(group["name"], "group.name");
  if (name === undefined) {
    throw badRequest("MISSING_REQUIRED_PARAMETER", "Field `group.name` is required.", "group.name");
  }
  if (name.trim().length === 0) {
    throw badRequest("VALUE_TOO_SHORT", "`group.name` must not be empty.", "group.name");
  }
  checkMaxLength(name, MAX_GROUP_NAME_LENGTH, "group.name");
  return name;
}

function idempotencyKey(body: JsonObject): string | undefined {
  const key = optionalString(body["idempotency_key"], "idempotency_key");
  if (key !== undefined) IdempotencyStore.check(key, "idempotency_key");
  return key;
}

/** Runs `create` once per idempotency key and request; replays the first answer after that. */
function idempotent(
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

function listGroups(ctx: OperationContext): OperationResult {
  const limit = queryLimit(ctx.query.get("limit"), 50, 50);
  const list = ctx.store.groupList;
  let start = 0;
  const cursor = ctx.query.get("cursor");
  if (cursor !== null && cursor !== "") {
    const position = decodeCursor(cursor, "groups");
    // Groups are in creation order (seq); resume after the last one served.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as GroupRecord).seq <= position.c) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = list.slice(start, start + limit);
  const body: { groups?: unknown[]; cursor?: string } = {};
  if (page.length > 0) body.groups = page.map((r) => r.group);
  const last = page[page.length - 1];
  if (last && start + limit < list.length)
    body.cursor = encodeCursor({ q: "groups", c: last.seq, i: last.group.id });
  return { body };
}

function listCustomersRequest(query: URLSearchParams): PageRequest {
  const field = query.get("sort_field") ?? "DEFAULT";
  if (field !== "DEFAULT" && field !== "CREATED_AT") {
    throw badRequest("INVALID_ENUM_VALUE", "`sort_field` must be DEFAULT or CREATED_AT.", "sort_field");
  }
  const order = query.get("sort_order") ?? "ASC";
  if (order !== "ASC" && order !== "DESC") {
    throw badRequest("INVALID_ENUM_VALUE", "`sort_order` must be ASC or DESC.", "sort_order");
  }
  const count = query.get("count");
  if (count !== null && count !== "true" && count !== "false") {
    throw badRequest("EXPECTED_BOOLEAN", "`count` must be true or false.", "count");
  }
  const cursor = query.get("cursor");
  return {
    query: { sortField: field, sortOrder: order },
    kind: "list",
    limit: queryLimit(query.get("limit"), 100, 100),
    cursor: cursor === null || cursor === "" ? undefined : cursor,
    count: count === "true",
  };
}

function checkVersion(current: number | undefined, given: number | undefined): void {
  if (given !== undefined && given !== (current ?? 0)) {
    throw badRequest(
      "CONFLICT",
      `The version ${given} does not match the profile's current version ${current ?? 0}.`,
      "version",
    );
  }
}

/** The operations of DESIGN.md §1 and square-api/README.md, at Square's paths. */
export const OPERATIONS: readonly Operation[] = [
  {
    name: "ListCustomerGroups",
    method: "GET",
    path: "/v2/customers/groups",
    write: false,
    handle: listGroups,
  },
  {
    name: "CreateCustomerGroup",
    method: "POST",
    path: "/v2/customers/groups",
    write: true,
    handle(ctx) {
      const name = readGroupName(ctx.body, ["idempotency_key", "group"]);
      const key = idempotencyKey(ctx.body);
      return idempotent(ctx, "CreateCustomerGroup", key, () => ({
        body: { group: ctx.store.createGroup(name) },
        changed: true,
      }));
    },
  },
  {
    name: "RetrieveCustomerGroup",
    method: "GET",
    path: "/v2/customers/groups/:group_id",
    write: false,
    handle(ctx) {
      const id = ctx.params["group_id"] as string;
      const record = ctx.store.groups.get(id);
      if (!record) throw groupNotFound(id);
      return { body: { group: record.group } };
    },
  },
  {
    name: "UpdateCustomerGroup",
    method: "PUT",
    path: "/v2/customers/groups/:group_id",
    write: true,
    handle(ctx) {
      const id = ctx.params["group_id"] as string;
      const name = readGroupName(ctx.body, ["group"]);
      const group = ctx.store.renameGroup(id, name);
      if (!group) throw groupNotFound(id);
      return { body: { group }, changed: true };
    },
  },
  {
    name: "DeleteCustomerGroup",
    method: "DELETE",
    path: "/v2/customers/groups/:group_id",
    write: true,
    handle(ctx) {
      const id = ctx.params["group_id"] as string;
      if (!ctx.store.deleteGroup(id)) throw groupNotFound(id);
      return { body: {}, changed: true };
    },
  },
  {
    name: "ListCustomers",
    method: "GET",
    path: "/v2/customers",
    write: false,
    handle(ctx) {
      return { body: pageJson(searchPage(ctx.store, listCustomersRequest(ctx.query), ctx.sortCache)) };
    },
  },
  {
    name: "CreateCustomer",
    method: "POST",
    path: "/v2/customers",
    write: true,
    handle(ctx) {
      const key = idempotencyKey(ctx.body);
      const fields = readCustomerFields(ctx.body, false);
      requirePublicField(fields);
      return idempotent(ctx, "CreateCustomer", key, () => ({
        body: { customer: ctx.store.createCustomer(fields as CustomerFields) },
        changed: true,
      }));
    },
  },
  {
    name: "BulkCreateCustomers",
    method: "POST",
    path: "/v2/customers/bulk-create",
    write: true,
    handle(ctx) {
      const customers = optionalObject(ctx.body["customers"], "customers");
      if (!customers) {
        throw badRequest("MISSING_REQUIRED_PARAMETER", "Field `customers` is required.", "customers");
      }
      const entries = Object.entries(customers);
      if (entries.length < 1) {
        throw badRequest("ARRAY_LENGTH_TOO_SHORT", "`customers` needs at least one entry.", "customers");
      }
      if (entries.length > 100) {
        throw badRequest("TOO_MANY_MAP_ENTRIES", "`customers` can have at most 100 entries.", "customers");
      }
      const responses: Record<string, unknown> = {};
      let changed = false;
      for (const [key, data] of entries) {
        const field = `customers.${key}`;
        try {
          IdempotencyStore.check(key, field);
          if (!isObject(data))
            throw badRequest("EXPECTED_OBJECT", `Expected \`${field}\` to be an object.`, field);
          const fields = readCustomerFields(data, false, `${field}.`);
          requirePublicField(fields);
          const previous = ctx.idempotency.lookup("BulkCreateCustomers", key, data);
          if (previous) {
            responses[key] = previous.body;
            continue;
          }
          const body = { customer: ctx.store.createCustomer(fields as CustomerFields) };
          ctx.idempotency.remember("BulkCreateCustomers", key, data, 200, body);
          responses[key] = body;
          changed = true;
        } catch (error) {
          if (!(error instanceof Error && "errors" in error)) throw error;
          responses[key] = { errors: (error as { errors: unknown }).errors };
        }
      }
      return { body: { responses }, changed };
    },
  },
  {
    name: "BulkRetrieveCustomers",
    method: "POST",
    path: "/v2/customers/bulk-retrieve",
    write: false,
    handle(ctx) {
      const ids = optionalStringArray(ctx.body["customer_ids"], "customer_ids", MAX_BULK_RETRIEVE);
      if (!ids)
        throw badRequest("MISSING_REQUIRED_PARAMETER", "Field `customer_ids` is required.", "customer_ids");
      if (ids.length === 0) {
        throw badRequest("ARRAY_LENGTH_TOO_SHORT", "`customer_ids` needs at least one ID.", "customer_ids");
      }
      const responses: Record<string, BulkRetrieveEntry> = {};
      for (const id of ids) {
        const record = ctx.store.customers.get(id);
        const customer = record?.current;
        responses[id] = customer
          ? { customer, slot: record as CustomerRecord }
          : {
              errors: [
                {
                  category: "INVALID_REQUEST_ERROR",
                  code: "NOT_FOUND",
                  detail: `Customer with ID \`${id}\` not found.`,
                },
              ],
            };
      }
      return { body: bulkRetrieveJson(responses) };
    },
  },
  {
    name: "SearchCustomers",
    method: "POST",
    path: "/v2/customers/search",
    write: false,
    handle(ctx) {
      return { body: pageJson(searchPage(ctx.store, parseSearchRequest(ctx.body), ctx.sortCache)) };
    },
  },
  {
    name: "RetrieveCustomer",
    method: "GET",
    path: "/v2/customers/:customer_id",
    write: false,
    handle(ctx) {
      const id = ctx.params["customer_id"] as string;
      const record = ctx.store.customers.get(id);
      const customer = record?.current;
      if (!record || !customer) throw customerNotFound(id);
      return { body: customerBodyJson(record, customer) };
    },
  },
  {
    name: "UpdateCustomer",
    method: "PUT",
    path: "/v2/customers/:customer_id",
    write: true,
    handle(ctx) {
      const id = ctx.params["customer_id"] as string;
      const fields = readCustomerFields(ctx.body, true);
      const version = optionalInteger(ctx.body["version"], "version");
      const current = ctx.store.getCustomer(id);
      if (!current) throw customerNotFound(id);
      checkVersion(current.version, version);
      const customer = ctx.store.updateCustomer(id, fields);
      return { body: { customer }, changed: true };
    },
  },
  {
    name: "DeleteCustomer",
    method: "DELETE",
    path: "/v2/customers/:customer_id",
    write: true,
    handle(ctx) {
      const id = ctx.params["customer_id"] as string;
      const rawVersion = ctx.query.get("version");
      if (rawVersion !== null && !/^\d+$/.test(rawVersion)) {
        throw badRequest("EXPECTED_INTEGER", "`version` must be an integer.", "version");
      }
      const current = ctx.store.getCustomer(id);
      if (!current) throw customerNotFound(id);
      checkVersion(current.version, rawVersion === null ? undefined : Number(rawVersion));
      ctx.store.deleteCustomer(id);
      return { body: {}, changed: true };
    },
  },
  membershipOperation("AddGroupToCustomer", "PUT", true),
  membershipOperation("RemoveGroupFromCustomer", "DELETE", false),
];

/**
 * AddGroupToCustomer / RemoveGroupFromCustomer: 200 `{}`; adding a group the profile has (or
 * removing one it lacks) changes nothing; an unknown customer or group is a 404.
 */
function membershipOperation(name: string, method: "PUT" | "DELETE", member: boolean): Operation {
  return {
    name,
    method,
    path: "/v2/customers/:customer_id/groups/:group_id",
    write: true,
    handle(ctx) {
      const customerId = ctx.params["customer_id"] as string;
      const groupId = ctx.params["group_id"] as string;
      if (!ctx.store.getCustomer(customerId)) throw customerNotFound(customerId);
      if (!ctx.store.groups.has(groupId)) throw groupNotFound(groupId);
      const outcome = ctx.store.setMembership(customerId, groupId, member);
      return { body: {}, changed: outcome === "changed" };
    },
  };
}

// Path patterns split once, not on every request.
const ROUTES = OPERATIONS.map((operation) => ({ operation, pattern: operation.path.split("/") }));

/** The operation serving `method` + `pathname`, with its path parameters; undefined: no route. */
export function matchOperation(
  method: string,
  pathname: string,
): { operation: Operation; params: Record<string, string> } | undefined {
  const parts = pathname.replace(/\/+$/, "").split("/");
  for (const { operation, pattern } of ROUTES) {
    if (operation.method !== method) continue;
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i] as string;
      const v = parts[i] as string;
      if (p.startsWith(":")) {
        if (v === "") ok = false;
        else params[p.slice(1)] = decodeURIComponent(v);
      } else if (p !== v) ok = false;
    }
    if (ok) return { operation, params };
  }
  return undefined;
}
