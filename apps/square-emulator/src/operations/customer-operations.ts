import { badRequest } from "../api-error.js";
import { readCustomerFields, requirePublicField } from "../customer-fields.js";
import type { CustomerRecord } from "../customer-record.js";
import { bulkRetrieveJson, customerBodyJson, pageJson, type BulkRetrieveEntry } from "../json-body.js";
import { parseSearchRequest, type PageRequest } from "../search/parse-query.js";
import { searchPage } from "../search/search-page.js";
import type { CustomerFields } from "../store.js";
import { isObject, optionalInteger, optionalObject, optionalStringArray, queryLimit } from "../validate.js";
import { IdempotencyStore } from "../idempotency.js";
import { customerNotFound, groupNotFound, idempotencyKey, idempotent, type Operation } from "./operation.js";

/** Max IDs in one BulkRetrieveCustomers call (undocumented; the emulator chooses 100). */
export const MAX_BULK_RETRIEVE = 100;

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

/** The Customers API, memberships included. */
export const CUSTOMER_OPERATIONS: readonly Operation[] = [
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
          const previous = ctx.idempotency.lookup("BulkCreateCustomers", key, data, field);
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
