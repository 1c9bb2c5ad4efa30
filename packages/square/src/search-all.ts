import type { SquareClient } from "./client.js";
import { customersOf } from "./customers-api.js";
import { FIRST_PAGE_PRIORITY, paginate } from "./paginate.js";
import type { SquareCustomer, SquareCustomerFilter, SquareCustomerQuery } from "./square-types.js";

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
 * Every profile matching `filter`, deduplicated by ID: {@link searchCustomerPages} collected.
 */
export async function searchAllCustomers(
  client: SquareClient,
  filter: SquareCustomerFilter | undefined,
  options: SplitOptions & { readonly onPage?: (items: number) => void } = {},
): Promise<SquareCustomer[]> {
  const found = new Map<string, SquareCustomer>();
  await searchCustomerPages(
    client,
    filter,
    (customers) => {
      for (const customer of customers) found.set(customer.id, customer);
      options.onPage?.(customers.length);
    },
    options,
  );
  return [...found.values()];
}

/**
 * Hands every page of profiles matching `filter` to `visit` as it arrives, and resolves once the
 * last page has been visited. The first page is asked with `count`, oldest first: a short result
 * continues page by page; a long one also reads its newest page (newest first), and the time
 * between the two pages is cut into `created_at` ranges searched in parallel. Ranges overlap by a
 * millisecond at each boundary so no profile falls between two whatever the range ends mean
 * (Square leaves inclusive or exclusive unsaid): a profile at a boundary may be visited twice. A
 * profile created after the newest page was read may be missed, as if the read had been a moment
 * earlier (search lags anyway; DESIGN.md §1).
 */
export async function searchCustomerPages(
  client: SquareClient,
  filter: SquareCustomerFilter | undefined,
  visit: (customers: readonly SquareCustomer[]) => void,
  options: SplitOptions = {},
): Promise<void> {
  const query = {
    ...(filter === undefined ? {} : { filter }),
    sort: { field: "CREATED_AT", order: "ASC" },
  } as const;
  const first = await client.send<SearchPage & { count?: number }>({
    operation: "SearchCustomers",
    method: "POST",
    path: "/v2/customers/search",
    body: { limit: PAGE, query, count: true },
    priority: FIRST_PAGE_PRIORITY,
  });
  visit(first.customers ?? []);
  if (first.cursor === undefined || first.cursor === "") return;

  const pages = Math.ceil((first.count ?? 0) / PAGE);
  const splits = Math.min(
    options.maxSplits ?? 8,
    Math.floor((pages - 2) / Math.max(1, options.splitPages ?? 15)),
  );
  const low = timeOf(first.customers?.at(-1));
  if (splits >= 2 && low !== undefined) {
    // The newest page, read backwards: as useful as any page, and it bounds the middle.
    const newest = await client.send<SearchPage>({
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: PAGE, query: { ...query, sort: { field: "CREATED_AT", order: "DESC" } } },
      priority: FIRST_PAGE_PRIORITY,
    });
    visit(newest.customers ?? []);
    const high = timeOf(newest.customers?.at(-1));
    if (high !== undefined && high > low) {
      const step = (high - low) / splits;
      const bounds = Array.from({ length: splits + 1 }, (_, i) => Math.round(low + step * i));
      const rangePages = Math.ceil((pages - 2) / splits);
      await Promise.all(
        bounds.slice(0, -1).map((start, i) => {
          const range = {
            start_at: new Date(start - 1).toISOString(),
            end_at: new Date((bounds[i + 1] ?? high) + 1).toISOString(),
          };
          return pageOn(client, { filter: { ...filter, created_at: range }, sort: query.sort }, visit, {
            count: false,
            priority: () => rangePages,
          });
        }),
      );
      return;
    }
    // Everything in the middle shares one timestamp: no range can split it; page on.
  }
  await pageOn(client, query, visit, {
    cursor: first.cursor,
    count: true,
    priority: (read) => Math.max(1, pages - read),
  });
}

interface SearchPage {
  readonly customers?: SquareCustomer[];
  readonly cursor?: string;
}

/** Pages of one search by cursor, from `cursor` (or the first page) to the last. */
async function pageOn(
  client: SquareClient,
  query: SquareCustomerQuery,
  visit: (customers: readonly SquareCustomer[]) => void,
  options: { readonly cursor?: string; readonly count: boolean; readonly priority: (read: number) => number },
): Promise<void> {
  const request = {
    operation: "SearchCustomers",
    method: "POST",
    path: "/v2/customers/search",
    body: { limit: PAGE, query, ...(options.count ? { count: true } : {}) },
  } as const;
  const pages = paginate(client, request, customersOf, {
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
    priority: options.priority,
  });
  for await (const { items } of pages) visit(items);
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
