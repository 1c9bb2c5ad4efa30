import { bulkRetrieveCustomers, type SquareClient, type SquareCustomer } from "@groupsync/square";
import { matchesGroupFilter, type GroupIdsFilter } from "./membership-filter.js";

/** What `--consistent` found. */
export interface Confirmation {
  /** Listed by search and still matching now. */
  confirmed: number;
  /** Listed by search, but their current group_ids no longer pass the filter. */
  noLongerMatching: number;
  /** Listed by search, but deleted since. */
  deleted: number;
  /** Matching, but changed since search indexed them (written as they are now). */
  updated: number;
}

/** A page of profiles as the export lists them. */
interface Page {
  readonly customers: readonly SquareCustomer[];
  readonly count?: number;
}

/**
 * `--consistent`: each page's profiles as BulkRetrieveCustomers has them now (one call per
 * page of up to 100; Retrieve does not lag as search does), keeping those whose current
 * group_ids still pass `filter`, in the order they came. Up to `window` pages are confirmed
 * at once (bounded memory), so confirming costs little more time than listing.
 */
export async function* confirmPages<P extends Page>(
  client: SquareClient,
  pages: AsyncIterable<P>,
  filter: GroupIdsFilter,
  counts: Confirmation,
  window = 4,
): AsyncGenerator<P> {
  const pending: Array<Promise<P>> = [];
  const start = (page: P): Promise<P> => {
    const confirmed = confirmPage(client, page, filter, counts);
    confirmed.catch(() => undefined); // thrown where it is awaited, in order
    return confirmed;
  };
  for await (const page of pages) {
    pending.push(start(page));
    if (pending.length >= window) yield await (pending.shift() as Promise<P>);
  }
  while (pending.length > 0) yield await (pending.shift() as Promise<P>);
}

async function confirmPage<P extends Page>(
  client: SquareClient,
  page: P,
  filter: GroupIdsFilter,
  counts: Confirmation,
): Promise<P> {
  if (page.customers.length === 0) return page;
  const current = await bulkRetrieveCustomers(
    client,
    page.customers.map((c) => c.id),
  );
  const kept: SquareCustomer[] = [];
  for (const listed of page.customers) {
    const now = current.get(listed.id);
    if (now === undefined) {
      counts.deleted++;
    } else if (!matchesGroupFilter(now.group_ids, filter)) {
      counts.noLongerMatching++;
    } else {
      counts.confirmed++;
      if (now.version !== listed.version || now.updated_at !== listed.updated_at) counts.updated++;
      kept.push(now);
    }
  }
  return { ...page, customers: kept };
}
