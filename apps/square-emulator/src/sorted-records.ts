/** What an index entry is ordered by: creation time, then ID (Square's CREATED_AT order). */
export interface Ordered {
  readonly id: string;
  readonly createdMs: number;
}

/** Orders by `createdMs`, then `id`. */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The first index whose entry is not `before` (binary search): `before` must hold for a prefix
 * of the list and for nothing after it, as it does for each bound below.
 */
function partitionPoint(list: readonly Ordered[], before: (entry: Ordered) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid] as Ordered)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose entry is >= (createdMs, id). */
export function lowerBound(list: readonly Ordered[], createdMs: number, id: string): number {
  return partitionPoint(list, (e) => e.createdMs < createdMs || (e.createdMs === createdMs && e.id < id));
}

/** First index whose entry is > (createdMs, id). */
export function upperBound(list: readonly Ordered[], createdMs: number, id: string): number {
  return partitionPoint(list, (e) => e.createdMs < createdMs || (e.createdMs === createdMs && e.id <= id));
}

/** First index with `createdMs >= ms`. */
export function firstAtOrAfter(list: readonly Ordered[], ms: number): number {
  return partitionPoint(list, (e) => e.createdMs < ms);
}

/** First index with `createdMs > ms`. */
export function firstAfter(list: readonly Ordered[], ms: number): number {
  return partitionPoint(list, (e) => e.createdMs <= ms);
}

/** Inserts `entry` in order (no-op when present). O(log n) search + one memmove. */
export function insertOrdered<T extends Ordered>(list: T[], entry: T): void {
  const at = lowerBound(list, entry.createdMs, entry.id);
  if (list[at] === entry) return;
  if (at === list.length) list.push(entry);
  else list.splice(at, 0, entry);
}

/** Removes `entry` (no-op when absent). */
export function removeOrdered<T extends Ordered>(list: T[], entry: T): void {
  const at = lowerBound(list, entry.createdMs, entry.id);
  if (list[at] === entry) list.splice(at, 1);
}
