import { styleText } from "node:util";
import { describe, expect, it } from "vitest";
import { PLAIN_STYLE, type TextStyle } from "@groupsync/core";
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

  it("puts the caret under its column after wide characters, with the style's widths", () => {
    const style: TextStyle = {
      ...PLAIN_STYLE,
      width: (t) => t.length + (t.match(/[\u4e00-\u9fff]/g) ?? []).length,
    };
    const text = '    name: "日本語"\n    email: x\n';
    const out = formatProblems([problem(1, 11, 3)], text, { style }).split("\n");
    expect(out.slice(1)).toEqual(['    1 |     name: "日本語"', "      |           ^~~~~"]);
    // Without the style's widths, one column per code unit, as before.
    expect(formatProblems([problem(1, 11, 3)], text).split("\n")[2]).toBe("      |           ^~~");
  });

  it("colors only when asked", () => {
    const ansi: TextStyle = {
      ...PLAIN_STYLE,
      red: (t) => styleText("red", t, { validateStream: false }),
      dim: (t) => styleText("dim", t, { validateStream: false }),
    };
    expect(formatProblems([problem(1, 1)], "a: b\n", { style: ansi })).toContain("\u001b[31m");
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
