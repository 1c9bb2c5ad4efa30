import type { DelaySpec } from "./types.js";

/** A seeded pseudo-random source (mulberry32): same seed, same sequence. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** Creates a {@link Random} from a 32-bit seed. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] as (typeof items)[number] };
}

/** Draws one delay from a {@link DelaySpec}. */
export function drawDelay(spec: DelaySpec, random: Random): number {
  if (typeof spec === "number") return spec;
  return spec.min + random.next() * (spec.max - spec.min);
}

const ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A 26-character Square-looking ID (Crockford base32, like `JDKYHBWT1D4F8MFH63DBMEN8Y4`). */
export function createId(random: Random): string {
  let id = "";
  for (let i = 0; i < 26; i++) id += ID_ALPHABET[random.int(32)];
  return id;
}
