import { compareOrdered } from "../sorted-records.js";
import type { CustomerRecord } from "../customer-record.js";
import type { Store } from "../store.js";
import { compareDefault } from "./default-order.js";

/** Caches of sorted results and group unions, valid while search sees no change. */
export class SortCache {
  private epoch = -1;
  private readonly sorted = new Map<string, CustomerRecord[]>();
  private readonly unions = new Map<string, CustomerRecord[]>();
  private readonly counts = new Map<string, number>();
  private readonly firstPages = new Map<string, { first: CustomerRecord[]; matched: number }>();

  private check(store: Store): void {
    if (store.visibleEpoch !== this.epoch) {
      this.epoch = store.visibleEpoch;
      this.sorted.clear();
      this.unions.clear();
      this.counts.clear();
      this.firstPages.clear();
    }
  }

  /**
   * The `count` of the query written `query` (its full text, not a hash): every page of a
   * paginated search asks for it, and it stays the same until search sees a change.
   */
  count(store: Store, query: string, compute: () => number): number {
    this.check(store);
    let count = this.counts.get(query);
    if (count === undefined) {
      count = compute();
      // Many one-page look-ups pass through: keep enough room for every search being paged.
      if (this.counts.size >= 1024) this.counts.clear();
      this.counts.set(query, count);
    }
    return count;
  }

  /** Members of any of `groups`, in created order. */
  union(store: Store, groups: readonly string[]): CustomerRecord[] {
    this.check(store);
    const key = [...groups].sort().join(",");
    let list = this.unions.get(key);
    if (!list) {
      const seen = new Set<CustomerRecord>();
      for (const g of groups) for (const r of store.visibleByGroup.get(g) ?? []) seen.add(r);
      list = [...seen].sort(compareOrdered);
      if (this.unions.size > 64) this.unions.clear();
      this.unions.set(key, list);
    }
    return list;
  }

  /** The first entries of a DEFAULT-sorted query, by its full text and the page size. */
  firstPage(
    store: Store,
    key: string,
    compute: () => { first: CustomerRecord[]; matched: number },
  ): { first: CustomerRecord[]; matched: number } {
    this.check(store);
    let page = this.firstPages.get(key);
    if (page === undefined) {
      page = compute();
      if (this.firstPages.size > 64) this.firstPages.clear();
      this.firstPages.set(key, page);
    }
    return page;
  }

  /** Whether the matches of the DEFAULT-sorted query hashed `hash` are sorted already. */
  hasSorted(store: Store, hash: string): boolean {
    this.check(store);
    return this.sorted.has(hash);
  }

  /** Every match of a DEFAULT-sorted query, in ASC order. */
  sortedMatches(store: Store, hash: string, compute: () => CustomerRecord[]): CustomerRecord[] {
    this.check(store);
    let list = this.sorted.get(hash);
    if (!list) {
      list = compute().sort(compareDefault);
      if (this.sorted.size > 64) this.sorted.clear();
      this.sorted.set(hash, list);
    }
    return list;
  }
}
