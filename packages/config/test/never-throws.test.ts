import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatConfig, formatProblems, parseConfig, type ConfigProblem } from "../src/index.js";

const root = readFileSync(new URL("../../../groups.yaml", import.meta.url), "utf8");

/** Each problem points inside the text (or at 1:1 of an empty one). */
function pointsInside(problems: readonly ConfigProblem[], text: string): boolean {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  return problems.every((p) => p.line >= 1 && p.col >= 1 && p.line <= Math.max(1, lines.length));
}

// "Never a stack trace for bad input": parse, fmt and the formatter return, whatever the text.
describe("parseConfig and formatConfig never throw", () => {
  const mutation = fc
    .tuple(
      fc.nat({ max: root.length }),
      fc.nat({ max: 40 }),
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(":", "- ", "[", "{", "&a", "*a", "'", '"', "\t", "\n  "),
      ),
    )
    .map(([at, cut, insert]) => root.slice(0, at) + insert + root.slice(at + cut));

  it.each([
    ["random text", fc.string({ maxLength: 200 })],
    ["mutations of the root groups.yaml", mutation],
  ])("%s", (_, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (text) => {
        const parsed = parseConfig(text);
        if (!parsed.ok) {
          expect(pointsInside(parsed.problems, text)).toBe(true);
          expect(formatProblems(parsed.problems, text)).toContain(":");
        }
        const formatted = formatConfig(text);
        if (!formatted.ok) return;
        expect(formatConfig(formatted.text)).toEqual(formatted);
        // fmt never changes meaning: a valid file stays valid with the same desired state.
        const reparsed = parseConfig(formatted.text);
        if (parsed.ok) expect(reparsed.ok && reparsed.desired).toEqual(parsed.desired);
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 150) },
    );
  });
});
