import type { SquareClient } from "./client.js";
import { SquareResponseError } from "./errors.js";
import { paginate, type PageOptions } from "./paginate.js";
import type {
  SquareCustomer,
  SquareCustomerQuery,
  SquareErrorBody,
  SquareNewCustomer,
} from "./square-types.js";

/** Square's cap on ids per BulkRetrieveCustomers (undocumented; the emulator and we use 100). */
export const BULK_RETRIEVE_MAX = 100;

/**
 * Every profile matching `query` (SearchCustomers, pages of up to 100, until no cursor). Search
 * lags behind writes (DESIGN.md §1): confirm membership with `bulkRetrieveCustomers`.
 */
export async function* searchCustomers(
  client: SquareClient,
  query: SquareCustomerQuery = {},
  options: PageOptions & { readonly priority?: number } = {},
): AsyncGenerator<SquareCustomer> {
  const pages = paginate(
    client,
    {
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: options.limit ?? 100, query },
      ...(options.priority === undefined ? {} : { priority: options.priority }),
    },
    customersOf,
  );
  for await (const { items } of pages) {
    options.onPage?.(items.length);
    yield* items;
  }
}

/** Options of `listCustomers`. */
export interface ListCustomersOptions extends PageOptions {
  readonly sortField?: "DEFAULT" | "CREATED_AT";
  readonly sortOrder?: "ASC" | "DESC";
}

/** Every profile of the account (ListCustomers, pages of up to 100, until no cursor). */
export async function* listCustomers(
  client: SquareClient,
  options: ListCustomersOptions = {},
): AsyncGenerator<SquareCustomer> {
  const pages = paginate(
    client,
    {
      operation: "ListCustomers",
      method: "GET",
      path: "/v2/customers",
      query: { limit: options.limit ?? 100, sort_field: options.sortField, sort_order: options.sortOrder },
    },
    customersOf,
  );
  for await (const { items } of pages) {
    options.onPage?.(items.length);
    yield* items;
  }
}

/** The profiles of a ListCustomers or SearchCustomers answer. */
export function customersOf(answer: {
  customers?: SquareCustomer[];
  cursor?: string;
}): SquareCustomer[] | undefined {
  return answer.customers;
}

/** The body of BulkRetrieveCustomers and BulkCreateCustomers: one entry per ID or key asked for. */
interface BulkCustomerAnswer {
  readonly responses?: Record<string, { customer?: SquareCustomer; errors?: SquareErrorBody[] }>;
}

/**
 * The current profiles for `ids` (BulkRetrieveCustomers, 100 per call, calls concurrently).
 * Profiles Square does not find are absent from the map. Retrieve is not subject to search lag:
 * its `group_ids` is the truth.
 */
export async function bulkRetrieveCustomers(
  client: SquareClient,
  ids: Iterable<string>,
  options: { readonly onBatch?: (size: number) => void } = {},
): Promise<Map<string, SquareCustomer>> {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += BULK_RETRIEVE_MAX)
    batches.push(unique.slice(i, i + BULK_RETRIEVE_MAX));
  const found = new Map<string, SquareCustomer>();
  await Promise.all(
    batches.map(async (batch) => {
      const response = await client.send<BulkCustomerAnswer>({
        operation: "BulkRetrieveCustomers",
        method: "POST",
        path: "/v2/customers/bulk-retrieve",
        body: { customer_ids: batch },
      });
      for (const [id, entry] of Object.entries(response.responses ?? {})) {
        if (entry.customer !== undefined) found.set(id, entry.customer);
      }
      options.onBatch?.(batch.length);
    }),
  );
  return found;
}

/** CreateCustomer with an idempotency key: the same key returns the same profile. */
export async function createCustomer(
  client: SquareClient,
  customer: SquareNewCustomer,
  idempotencyKey: string,
): Promise<SquareCustomer> {
  const response = await client.send<{ customer?: SquareCustomer }>({
    operation: "CreateCustomer",
    method: "POST",
    path: "/v2/customers",
    body: { idempotency_key: idempotencyKey, ...customer },
  });
  if (response.customer === undefined)
    throw new SquareResponseError("CreateCustomer", 200, undefined, "no customer in its body");
  return response.customer;
}

/** Square's limit of profiles per BulkCreateCustomers (documented: 1..100). */
export const BULK_CREATE_MAX = 100;

/** One profile's outcome in a BulkCreateCustomers answer. */
export type BulkCreateOutcome =
  { readonly customer: SquareCustomer } | { readonly errors: readonly SquareErrorBody[] };

/**
 * BulkCreateCustomers for up to {@link BULK_CREATE_MAX} profiles, each under its own idempotency
 * key (the same key and data give back the profile that key made). Square answers per key: the
 * profile, or that entry's errors; a key missing from the answer is reported as an error of its
 * own. A failure of the whole call (HTTP error after retries) throws.
 */
export async function bulkCreateCustomers(
  client: SquareClient,
  customers: ReadonlyMap<string, SquareNewCustomer>,
): Promise<Map<string, BulkCreateOutcome>> {
  if (customers.size < 1 || customers.size > BULK_CREATE_MAX) {
    throw new RangeError(`bulkCreateCustomers takes 1..${BULK_CREATE_MAX} profiles, not ${customers.size}`);
  }
  const response = await client.send<BulkCustomerAnswer>({
    operation: "BulkCreateCustomers",
    method: "POST",
    path: "/v2/customers/bulk-create",
    body: { customers: Object.fromEntries(customers) },
  });
  const outcomes = new Map<string, BulkCreateOutcome>();
  const responses = response.responses ?? {};
  for (const key of customers.keys()) {
    const entry = Object.hasOwn(responses, key) ? responses[key] : undefined;
    if (entry?.customer !== undefined && typeof entry.customer.id === "string") {
      outcomes.set(key, { customer: entry.customer });
    } else {
      outcomes.set(key, {
        errors:
          entry?.errors !== undefined && entry.errors.length > 0
            ? entry.errors
            : [{ code: "MISSING_RESPONSE", detail: "BulkCreateCustomers did not answer for this profile" }],
      });
    }
  }
  return outcomes;
}

/** AddGroupToCustomer (idempotent: adding a member twice leaves one membership). */
export async function addGroupToCustomer(
  client: SquareClient,
  customerId: string,
  groupId: string,
): Promise<void> {
  await client.send({
    operation: "AddGroupToCustomer",
    method: "PUT",
    path: `/v2/customers/${encodeURIComponent(customerId)}/groups/${encodeURIComponent(groupId)}`,
  });
}

/** RemoveGroupFromCustomer (idempotent on Square's side for a profile not in the group). */
export async function removeGroupFromCustomer(
  client: SquareClient,
  customerId: string,
  groupId: string,
): Promise<void> {
  await client.send({
    operation: "RemoveGroupFromCustomer",
    method: "DELETE",
    path: `/v2/customers/${encodeURIComponent(customerId)}/groups/${encodeURIComponent(groupId)}`,
  });
}
