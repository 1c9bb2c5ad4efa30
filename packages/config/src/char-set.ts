/** A lookup table of ASCII characters (1 = in `chars`), indexed by char code. */
export function charSet(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
}
