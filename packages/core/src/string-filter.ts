/**
 * A Bloom-style filter (one FNV-1a hash, up to 2^22 bits = 512 KiB, fewer for a small set) over a set of strings. Indexing a
 * million profiles probes a map per profile and value; most probes miss, and each costs a cache
 * miss in a large hash table plus V8 hashing a string it has never hashed. A filter that fits in
 * the CPU cache answers "certainly not" for most of them first. Deterministic: no seed, no
 * randomness.
 */
export interface StringFilter {
  readonly bits: Uint8Array;
  readonly mask: number;
}

/** At most 2^22 bits (512 KiB); 256 bits per value below that, so a small set costs little. */
const MAX_BITS = 1 << 22;
const MIN_BITS = 1 << 10;

export function createStringFilter(values: Iterable<string>): StringFilter {
  const list = [...values];
  const filter = emptyStringFilter(list.length);
  for (const value of list) addToStringFilter(filter, value);
  return filter;
}

/** A filter sized for `count` values, holding none yet: fill it with {@link addToStringFilter}. */
export function emptyStringFilter(count: number): StringFilter {
  let size = MIN_BITS;
  while (size < MAX_BITS && size < count * 256) size *= 2;
  return { bits: new Uint8Array(size >>> 3), mask: size - 1 };
}

export function addToStringFilter(filter: StringFilter, value: string): void {
  const h = fnv1a(value) & filter.mask;
  filter.bits[h >>> 3] = (filter.bits[h >>> 3] ?? 0) | (1 << (h & 7));
}

/** False: `value` is certainly not in the set. True: it may be. */
export function mayContain(filter: StringFilter, value: string): boolean {
  const h = fnv1a(value) & filter.mask;
  return ((filter.bits[h >>> 3] ?? 0) & (1 << (h & 7))) !== 0;
}

/**
 * `mayContain(filter, key)` for the email key of `raw` (trimmed, lower-cased) without building the
 * key: one pass over the characters instead of trim + ASCII check + toLowerCase + hash. Returns
 * `undefined` when `raw` is not plain ASCII without surrounding whitespace: build the key then.
 */
export function mayContainLowerAscii(filter: StringFilter, raw: string): boolean | undefined {
  const last = raw.length - 1;
  let h = 0x811c9dc5;
  for (let i = 0; i <= last; i++) {
    let c = raw.charCodeAt(i);
    if (c > 0x7e || ((i === 0 || i === last) && c <= 0x20)) return undefined;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    h = Math.imul(h ^ c, 0x01000193);
  }
  h = (h >>> 0) & filter.mask;
  return ((filter.bits[h >>> 3] ?? 0) & (1 << (h & 7))) !== 0;
}

function fnv1a(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
