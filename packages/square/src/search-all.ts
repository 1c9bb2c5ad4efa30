import type { SquareClient } from "./client.js";
import { searchCustomers } from "./customers-api.js";
import type { SquareCustomer, SquareCustomerFilter } from "./square-types.js";

/** How a long search is split into `created_at` ranges fetched in parallel (DESIGN.md §7). */
export interface SplitOptions {
  /**
   * Pages one range should hold at least: a search of N pages reads its first and last page,
   * then splits the rest into floor((N - 2) / splitPages) ranges (no split below 2) [15]. Each
   * range may end on a partial page, so the overhead is at most 1/splitPages.
   */
  readonly splitPages?: number;
  /** Ranges at most [8]. */
  readonly maxSplits?: number;
}

const PAGE = 100;

/**
 * Request priorities (the client serves the highest first): a page's priority is the number of
 * pages its chain still has to read one after another, so that the longest chains start first
 * and single requests (look-ups) fill the slots they leave. A first page's chain is unknown until
 * it answers (its `count`): first pages go before everything, and find out. So does a request
 * other work waits on (the look-ups' count probe).
 */
export const FIRST_PAGE_PRIORITY = 1_000_000;

/**
 * Every profile matching `filter`, deduplicated by ID. The first page is asked with `count`,
 * oldest first: a short result continues page by page; a long one also reads its newest page
 * (newest first), and the time between the two pages is cut into `created_at` ranges searched
 * in parallel. Ranges overlap by a millisecond at each boundary so no profile falls between two
 * whatever the range ends mean (Square leaves inclusive or exclusive unsaid); duplicates from
 * the overlaps are dropped. A profile created after the newest page was read may be missed, as
 * if the read had been a moment earlier (search lags anyway; DESIGN.md §1).
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
    priority: FIRST_PAGE_PRIORITY,
  });
  add(first.customers);
  if (first.cursor === undefined || first.cursor === "") return [...found.values()];

  const pages = Math.ceil((first.count ?? 0) / PAGE);
  const splits = Math.min(
    options.maxSplits ?? 8,
    Math.floor((pages - 2) / Math.max(1, options.splitPages ?? 15)),
  );
  const low = timeOf(first.customers?.at(-1));
  let cursor: string | undefined = first.cursor;
  if (splits >= 2 && low !== undefined) {
    // The newest page, read backwards: as useful as any page, and it bounds the middle.
    const newest = await client.send<{ customers?: SquareCustomer[] }>({
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: PAGE, query: { ...query, sort: { field: "CREATED_AT", order: "DESC" } } },
      priority: FIRST_PAGE_PRIORITY,
    });
    add(newest.customers);
    const high = timeOf(newest.customers?.at(-1));
    if (high !== undefined && high > low) {
      const step = (high - low) / splits;
      const bounds = Array.from({ length: splits + 1 }, (_, i) => Math.round(low + step * i));
      await Promise.all(
        bounds.slice(0, -1).map(async (start, i) => {
          const range = {
            start_at: new Date(start - 1).toISOString(),
            end_at: new Date((bounds[i + 1] ?? high) + 1).toISOString(),
          };
          for await (const customer of searchCustomers(
            client,
            { filter: { ...filter, created_at: range }, sort: query.sort },
            { onPage: options.onPage ?? (() => {}), priority: Math.ceil((pages - 2) / splits) },
          )) {
            found.set(customer.id, customer);
          }
        }),
      );
      return [...found.values()];
    }
    // Everything in the middle shares one timestamp: no range can split it; page on.
  }
  for (let read = 1; cursor !== undefined; read++) {
    const page: { customers?: SquareCustomer[]; cursor?: string } = await client.send({
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: PAGE, query, count: true, cursor },
      priority: Math.max(1, pages - read),
    });
    add(page.customers);
    cursor = page.cursor === "" ? undefined : page.cursor;
  }
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
