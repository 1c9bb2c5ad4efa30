import { insertOrdered, removeOrdered, type Ordered } from "./sorted-records.js";

/**
 * An index from a key (a lower-cased email, an E.164 phone) to the records that have it, in
 * created order. Nearly every key has one record: it is kept as it is, and an array only for a
 * key shared by several, so a large store has millions of arrays fewer for the garbage
 * collector to mark.
 */
export type KeyIndex<T extends Ordered> = Map<string, T | T[]>;

/** The records with `key`, in created order (empty when none). */
export function recordsWithKey<T extends Ordered>(index: KeyIndex<T>, key: string): readonly T[] {
  const entry = index.get(key);
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

/**
 * Adds `record` under `key` in created order; with `last`, the caller knows it comes after every
 * record there (a bulk load in created order).
 */
export function addWithKey<T extends Ordered>(
  index: KeyIndex<T>,
  key: string,
  record: T,
  last: boolean,
): void {
  const entry = index.get(key);
  if (entry === undefined) index.set(key, record);
  else if (Array.isArray(entry)) {
    if (last) entry.push(record);
    else insertOrdered(entry, record);
  } else if (entry !== record) {
    const list = [entry];
    if (last) list.push(record);
    else insertOrdered(list, record);
    index.set(key, list);
  }
}

/** Removes `record` from under `key` (no-op when absent). */
export function removeWithKey<T extends Ordered>(index: KeyIndex<T>, key: string, record: T): void {
  const entry = index.get(key);
  if (entry === undefined) return;
  if (!Array.isArray(entry)) {
    if (entry === record) index.delete(key);
    return;
  }
  removeOrdered(entry, record);
  if (entry.length === 1) index.set(key, entry[0] as T);
  else if (entry.length === 0) index.delete(key);
}
