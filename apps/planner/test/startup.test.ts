import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Every command starts by evaluating what dist/cli.js imports statically (the bundle evaluates it
// all up front; commands come in through dynamic import()s). That set must not reach undici or the
// other heavy packages, or `--help`, `--version` and usage errors pay for them.
const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const HEAVY = [
  "@groupsync/core",
  "@groupsync/square",
  "@groupsync/config",
  "undici",
  "yaml",
  "ajv",
  "libphonenumber-js",
  // Unicode tables and an Intl.Segmenter: text-style.js requires it for the first non-ASCII text.
  "string-width",
];
// Light subpaths: no dependency of their own.
const LIGHT = ["@groupsync/square/redact", "@groupsync/core/sanitize", "@groupsync/core/text-style"];

function staticImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s+"([^"]+)"/gm)]
    .filter((m) => !/^\s*import\s+type\b/.test(m[0]))
    .map((m) => m[1] as string);
}

describe("start-up", () => {
  it("dist/cli.js reaches none of the heavy packages through static imports", () => {
    const seen = new Set<string>();
    const heavy: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of staticImports(file)) {
        if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
        else if (HEAVY.includes(spec) || HEAVY.some((h) => spec.startsWith(`${h}/`) && !LIGHT.includes(spec)))
          heavy.push(`${file.slice(DIST.length)} -> ${spec}`);
      }
    };
    visit(join(DIST, "cli.js"));
    expect(seen.size).toBeGreaterThan(3);
    expect(heavy).toEqual([]);
  });
});
