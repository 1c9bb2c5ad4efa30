import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The version of this package, from its package.json (one directory above dist/ and src/). */
export function version(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
  ).version;
  return cached;
}
