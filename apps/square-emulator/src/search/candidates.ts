// Choosing the smallest index list that holds every match of a query.
import { recordsWithKey } from "../key-index.js";
import type { CustomerRecord } from "../customer-record.js";
import type { Store } from "../store.js";
import { narrowings, type Narrowing } from "./match-query.js";
import type { CustomerQuery } from "./parse-query.js";
import type { SortCache } from "./sort-cache.js";

/** An ordered index list that holds every match, and the filter that every entry of it passes. */
export interface Candidates {
  list: readonly CustomerRecord[];
  implied: Narrowing | undefined;
}

/** The smallest ordered index list that holds every match. */
export function candidates(store: Store, q: CustomerQuery, cache: SortCache): Candidates {
  const lists: Candidates[] = [];
  if (q.email && "exact" in q.email) {
    lists.push({ list: recordsWithKey(store.visibleByEmail, q.email.exact), implied: "email" });
  }
  if (q.phone && "exact" in q.phone) {
    lists.push({ list: recordsWithKey(store.visibleByPhone, q.phone.exact), implied: "phone" });
  }
  for (const g of q.groupsAll ?? []) {
    const implied = q.groupsAll?.length === 1 ? "groupsAll" : undefined;
    lists.push({ list: store.visibleByGroup.get(g) ?? [], implied });
  }
  if (q.groupsAny && q.groupsAny.length > 0) {
    const list =
      q.groupsAny.length === 1
        ? (store.visibleByGroup.get(q.groupsAny[0] as string) ?? [])
        : cache.union(store, q.groupsAny);
    lists.push({ list, implied: "groupsAny" });
  }
  let best: Candidates = { list: store.visibleAll, implied: undefined };
  for (const entry of lists) if (entry.list.length < best.list.length) best = entry;
  return best;
}

/**
 * Whether every profile of `candidates` within the created_at range matches `q`: when the
 * query has no filter but the one its index list was picked for (a group's members, an exact
 * email), as groupsync's searches do, pages and counts need no per-profile check.
 */
export function allMatch(q: CustomerQuery, { implied }: Candidates): boolean {
  const filters = narrowings(q);
  return filters.length === 0 || (filters.length === 1 && filters[0] === implied);
}
