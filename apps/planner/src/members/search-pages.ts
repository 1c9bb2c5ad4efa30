import type { SquareClient, SquareCustomer, SquareCustomerQuery } from "@groupsync/square";

/** One page of SearchCustomers. */
export interface SearchPage {
  readonly customers: readonly SquareCustomer[];
  /** How many profiles match in all (asked on the first page only). */
  readonly count?: number;
}

const PAGE_SIZE = 100;

/**
 * The pages of a search, one at a time, with the next page already requested while the
 * caller handles the current one (writing it, confirming it): two pages in memory at most,
 * whatever the size of the result. The first page asks for `count` (for the progress bar);
 * later pages do not, since Square would count the whole result again for each.
 */
export async function* searchPages(
  client: SquareClient,
  query: SquareCustomerQuery,
): AsyncGenerator<SearchPage> {
  const fetchPage = (cursor: string | undefined) => {
    const request = client.send<{ customers?: SquareCustomer[]; cursor?: string; count?: number }>({
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: PAGE_SIZE, query, ...(cursor === undefined ? { count: true } : { cursor }) },
    });
    // Handled here so that a failure while the caller is busy is not an unhandled rejection;
    // it is still thrown where the page is awaited.
    request.catch(() => undefined);
    return request;
  };
  let pending: ReturnType<typeof fetchPage> | undefined = fetchPage(undefined);
  while (pending !== undefined) {
    const page: Awaited<ReturnType<typeof fetchPage>> = await pending;
    const cursor = page.cursor === "" ? undefined : page.cursor;
    pending = cursor === undefined ? undefined : fetchPage(cursor);
    yield {
      customers: page.customers ?? [],
      ...(typeof page.count === "number" ? { count: page.count } : {}),
    };
  }
}
