// Running a page request against what search currently sees.
import { decodeCursor, encodeCursor, hashQuery, type CursorPosition } from "../cursor.js";
import { compareOrdered, firstAfter, firstAtOrAfter, lowerBound, upperBound } from "../sorted-records.js";
import type { CustomerRecord } from "../customer-record.js";
import type { Store } from "../store.js";
import type { SquareCustomer } from "../types.js";
import { allMatch, candidates } from "./candidates.js";
import { compareKeyPart, firstInDefaultOrder, keyOf, withDefaultKey } from "./default-order.js";
import { matches } from "./match-query.js";
import type { CustomerQuery, PageRequest } from "./parse-query.js";
import type { SortCache } from "./sort-cache.js";

/** One page of results, in Square's response shape (`{}` when empty). */
export interface PageResult {
  customers?: SquareCustomer[];
  cursor?: string;
  count?: number;
}

/** One page of results as the store's records (what search sees of each is `visible`). */
export interface RecordPage {
  records: CustomerRecord[];
  /** Present only when more results exist. */
  cursor: string | undefined;
  /** Present only when the request asked for it. */
  count: number | undefined;
}

/** Runs a page request against what search currently sees, in Square's response shape. */
export function runSearch(store: Store, request: PageRequest, cache: SortCache): PageResult {
  return toPageResult(searchPage(store, request, cache));
}

/** A page in Square's response shape: keys only for what there is (`{}` when empty). */
export function toPageResult(page: RecordPage): PageResult {
  const result: PageResult = {};
  if (page.records.length > 0) result.customers = page.records.map((r) => r.visible as SquareCustomer);
  if (page.cursor !== undefined) result.cursor = page.cursor;
  if (page.count !== undefined) result.count = page.count;
  return result;
}

/** Runs a page request against what search currently sees. */
export function searchPage(store: Store, request: PageRequest, cache: SortCache): RecordPage {
  store.flushVisible();
  const q = request.query;
  const text = `${request.kind}:${JSON.stringify(q)}`;
  const hash = hashQuery(text);
  const position = request.cursor === undefined ? undefined : decodeCursor(request.cursor, hash);
  const found = candidates(store, q, cache);
  const list = found.list;
  const every = allMatch(q, found);
  // Clamp to the created_at range on the created-ordered candidate list.
  const lo = q.createdFrom === undefined ? 0 : firstAtOrAfter(list, q.createdFrom);
  const hi = q.createdTo === undefined ? list.length : firstAfter(list, q.createdTo);
  const desc = q.sortOrder === "DESC";
  const page: CustomerRecord[] = [];
  let more = false;

  if (q.sortField === "CREATED_AT") {
    let from = lo;
    let to = hi;
    if (position) {
      if (desc) to = Math.min(to, lowerBound(list, position.c, position.i));
      else from = Math.max(from, upperBound(list, position.c, position.i));
    }
    for (let n = 0; n < to - from; n++) {
      const record = list[desc ? to - 1 - n : from + n] as CustomerRecord;
      if (!every && !matches(record, q)) continue;
      if (page.length === request.limit) {
        more = true;
        break;
      }
      page.push(record);
    }
  } else if (!position && !cache.hasSorted(store, hash)) {
    // A first page: the first `limit` matches are enough; a next page (cursor) sorts them all.
    const { first, matched } = cache.firstPage(store, `${request.limit}:${text}`, () =>
      firstInDefaultOrder(list, lo, hi, every ? undefined : q, request.limit, desc),
    );
    for (const record of first) page.push(record);
    more = matched > request.limit;
  } else {
    const sorted = sortedFor(store, cache, hash, list, lo, hi, every ? undefined : q);
    const n = sorted.length;
    let start = 0;
    if (position) start = seek(sorted, position, desc);
    for (let i = start; i < n; i++) {
      if (page.length === request.limit) {
        more = true;
        break;
      }
      page.push(sorted[desc ? n - 1 - i : i] as CustomerRecord);
    }
  }

  const result: RecordPage = { records: page, cursor: undefined, count: undefined };
  const last = page[page.length - 1];
  if (more && last) {
    const next: CursorPosition = { q: hash, c: last.createdMs, i: last.id };
    if (q.sortField === "DEFAULT") next.k = keyOf(last);
    result.cursor = encodeCursor(next);
  }
  if (request.count) {
    result.count = every
      ? Math.max(0, hi - lo)
      : cache.count(store, text, () => {
          let count = 0;
          for (let i = lo; i < hi; i++) if (matches(list[i] as CustomerRecord, q)) count++;
          return count;
        });
  }
  return result;
}

function sortedFor(
  store: Store,
  cache: SortCache,
  hash: string,
  list: readonly CustomerRecord[],
  lo: number,
  hi: number,
  /** The query to check each profile against; undefined: every one matches. */
  q: CustomerQuery | undefined,
): CustomerRecord[] {
  return cache.sortedMatches(store, hash, () => {
    const out: CustomerRecord[] = [];
    for (let i = lo; i < hi; i++) {
      const record = list[i] as CustomerRecord;
      if (q === undefined || matches(record, q)) out.push(withDefaultKey(record));
    }
    return out;
  });
}

/** Number of entries (in iteration order) at or before the cursor position. */
function seek(sorted: readonly CustomerRecord[], position: CursorPosition, desc: boolean): number {
  const key = position.k ?? [];
  const probe = { id: position.i, createdMs: position.c };
  const cmp = (e: CustomerRecord): number =>
    compareKeyPart(e.keyName, key[0]) ||
    compareKeyPart(e.keyCompany, key[1]) ||
    compareKeyPart(e.keyEmail, key[2]) ||
    compareKeyPart(e.keyPhone, key[3]) ||
    compareOrdered(e, probe);
  // count of entries <= position in ASC order
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(sorted[mid] as CustomerRecord) <= 0) lo = mid + 1;
    else hi = mid;
  }
  if (!desc) return lo;
  // In DESC order, entries >= position come first.
  let l2 = 0;
  let h2 = sorted.length;
  while (l2 < h2) {
    const mid = (l2 + h2) >>> 1;
    if (cmp(sorted[mid] as CustomerRecord) < 0) l2 = mid + 1;
    else h2 = mid;
  }
  return sorted.length - l2;
}
