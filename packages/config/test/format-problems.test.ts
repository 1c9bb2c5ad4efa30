import { describe, expect, it } from "vitest";
import { formatProblems, type ConfigProblem } from "../src/index.js";

const problem = (line: number, col: number, length?: number): ConfigProblem => ({
  code: "GS_CONFIG_INVALID_EMAIL",
  message: "groups.vip.members[0].email: 'x' is not a valid email address",
  file: "groups.yaml",
  line,
  col,
  ...(length ? { length } : {}),
});

describe("formatProblems", () => {
  it("prints file:line:col: message, the line and a caret under the offending text", () => {
    const text = "version: 1\n\tname: x # tab\n";
    expect(formatProblems([problem(2, 8, 1)], text)).toBe(
      [
        "groups.yaml:2:8: groups.vip.members[0].email: 'x' is not a valid email address",
        "    2 | \tname: x # tab",
        "      | \t      ^",
      ].join("\n"),
    );
  });

  it("prints no excerpt for a position outside the text or on a blank line", () => {
    expect(formatProblems([problem(9, 1)], "a\n")).toBe(
      "groups.yaml:9:1: groups.vip.members[0].email: 'x' is not a valid email address",
    );
  });

  it("clips long lines around the column and shows control characters as U+FFFD", () => {
    const text = "x".repeat(500) + "\u0000" + "y".repeat(500);
    const out = formatProblems([problem(1, 501, 1)], text).split("\n");
    expect(out[1]).toBe(`    1 | ...${"x".repeat(60)}\uFFFD${"y".repeat(59)}...`);
    expect(out[2]?.indexOf("^")).toBe(out[1]?.indexOf("\uFFFD"));
  });

  it("colors only when asked", () => {
    expect(formatProblems([problem(1, 1)], "a: b\n", { color: true })).toContain("\u001b[31m");
    expect(formatProblems([problem(1, 1)], "a: b\n")).not.toContain("\u001b[");
  });
});

describe("formatProblems limit", () => {
  it("shows 50 problems by default and counts the rest", () => {
    const problems = Array.from({ length: 53 }, (_, i) => problem(i + 1, 1));
    const out = formatProblems(problems, "");
    expect(out.split("\n")).toHaveLength(51);
    expect(out.endsWith("\n... and 3 more problems not shown")).toBe(true);
    expect(formatProblems(problems, "", { limit: Infinity }).split("\n")).toHaveLength(53);
  });
});
