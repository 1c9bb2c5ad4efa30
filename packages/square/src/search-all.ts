import type { SquareClient } from "./client.js";
import { searchCustomers } from "./customers-api.js";
import type { SquareCustomer, SquareCustomerFilter } from "./square-types.js";

/** How a long search is split into `created_at` ranges fetched in parallel (DESIGN.md §7). */
export interface SplitOptions {
  /**
   * Pages one range should hold at least: a search of N pages is split into
   * floor(N / splitPages) ranges (none below 2) [25]. Each split costs about one extra call, so
   * this bounds the overhead near 1/splitPages (+1 probe).
   */
  readonly splitPages?: number;
  /** Ranges at most [8]. */
  readonly maxSplits?: number;
}

const PAGE = 100;

/**
 * Every profile matching `filter`, deduplicated by ID. The first page is asked with `count`
 * (sorted by created_at): a short result continues page by page; a long one is cut into
 * `created_at` ranges searched in parallel, overlapping by a millisecond at each boundary so
 * no profile falls between two ranges whatever the range ends mean (Square leaves inclusive or
 * exclusive unsaid); duplicates from the overlaps are dropped.
 */
export async function searchAllCustomers(
  client: SquareClient,
  filter: SquareCustomerFilter | undefined,
  options: SplitOptions & { readonly onPage?: (items: number) => void } = {},
): Promise<SquareCustomer[]> {
  const found = new Map<string, SquareCustomer>();
  const add = (customers: readonly SquareCustomer[] | undefined) => {
    for (const customer of customers ?? []) found.set(customer.id, customer);
    options.onPage?.(customers?.length ?? 0);
  };
  const query = {
    ...(filter === undefined ? {} : { filter }),
    sort: { field: "CREATED_AT", order: "ASC" },
  } as const;
  const first = await client.send<{ customers?: SquareCustomer[]; cursor?: string; count?: number }>({
    operation: "SearchCustomers",
    method: "POST",
    path: "/v2/customers/search",
    body: { limit: PAGE, query, count: true },
  });
  add(first.customers);
  if (first.cursor === undefined || first.cursor === "") return [...found.values()];

  const pages = Math.ceil((first.count ?? 0) / PAGE);
  const splits = Math.min(options.maxSplits ?? 8, Math.floor(pages / Math.max(1, options.splitPages ?? 25)));
  const lastOfFirst = timeOf(first.customers?.at(-1));
  if (splits < 2 || lastOfFirst === undefined) {
    let cursor: string | undefined = first.cursor;
    while (cursor !== undefined) {
      const page: { customers?: SquareCustomer[]; cursor?: string } = await client.send({
        operation: "SearchCustomers",
        method: "POST",
        path: "/v2/customers/search",
        body: { limit: PAGE, query, count: true, cursor },
      });
      add(page.customers);
      cursor = page.cursor === "" ? undefined : page.cursor;
    }
    return [...found.values()];
  }

  const newest = await client.send<{ customers?: SquareCustomer[] }>({
    operation: "SearchCustomers",
    method: "POST",
    path: "/v2/customers/search",
    body: { limit: 1, query: { ...query, sort: { field: "CREATED_AT", order: "DESC" } } },
  });
  const end = Math.max(lastOfFirst, timeOf(newest.customers?.[0]) ?? lastOfFirst);
  const step = (end - lastOfFirst) / splits;
  const bounds = Array.from({ length: splits + 1 }, (_, i) => Math.round(lastOfFirst + step * i));
  await Promise.all(
    bounds.slice(0, -1).map(async (start, i) => {
      const last = i === splits - 1;
      const range = {
        start_at: new Date(start - 1).toISOString(),
        // The last range stays open: profiles created during the read are not cut off.
        ...(last ? {} : { end_at: new Date((bounds[i + 1] ?? end) + 1).toISOString() }),
      };
      for await (const customer of searchCustomers(
        client,
        { filter: { ...filter, created_at: range }, sort: query.sort },
        { onPage: options.onPage ?? (() => {}) },
      )) {
        found.set(customer.id, customer);
      }
    }),
  );
  return [...found.values()];
}

function timeOf(customer: SquareCustomer | undefined): number | undefined {
  if (customer?.created_at === undefined) return undefined;
  const t = Date.parse(customer.created_at);
  return Number.isNaN(t) ? undefined : t;
}

/** Pages a search of `count` results takes. */
export function pagesFor(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE));
}
