/**
 * A group key for a Square group name: lower-case ASCII letters and digits joined by `-`
 * (`Summer Conference 2022` -> `summer-conference-2022`), `group` when nothing is left, with
 * `-2`, `-3`... when `taken` already holds it.
 */
export function suggestGroupKey(name: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "group";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}
