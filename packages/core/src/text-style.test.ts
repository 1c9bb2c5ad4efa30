import { describe, expect, it } from "vitest";
import { padToWidth, PLAIN_STYLE, truncateToWidth, withoutColors, type TextStyle } from "./text-style.js";

// A stand-in for the CLI's string-width: CJK ideographs and the emoji below take two columns,
// combining marks none.
const wide: TextStyle = {
  ...PLAIN_STYLE,
  red: (text) => `<red>${text}</red>`,
  width: (text) => {
    let n = 0;
    for (const char of text) {
      if (/\p{M}/u.test(char)) continue;
      n += /[\u3040-\u30ff\u4e00-\u9fff\u{1f600}-\u{1f64f}]/u.test(char) ? 2 : 1;
    }
    return n;
  },
};

describe("padToWidth", () => {
  it.each([
    ["ada", 6, "ada   "],
    ["日本", 6, "日本  "],
    ["😀x", 6, "😀x   "],
    ["e\u0301", 3, "e\u0301  "],
    ["longer than", 4, "longer than"],
  ])("pads %j to %i columns", (text, columns, padded) => {
    expect(padToWidth(text, columns, wide)).toBe(padded);
    expect(wide.width(padToWidth(text, columns, wide))).toBe(Math.max(columns, wide.width(text)));
  });

  it("counts code units with the plain style, as String.padEnd does", () => {
    expect(padToWidth("日本", 6, PLAIN_STYLE)).toBe("日本".padEnd(6));
  });
});

describe("truncateToWidth", () => {
  it.each([
    ["short", 8, "short"],
    ["exactly8", 8, "exactly8"],
    ["far too long", 8, "far too…"],
    ["日本語のなまえ", 7, "日本語…"],
    ["日本語のなまえ", 6, "日本…"],
    ["e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"],
  ])("cuts %j to %i columns", (text, columns, cut) => {
    expect(truncateToWidth(text, columns, wide)).toBe(cut);
    expect(wide.width(truncateToWidth(text, columns, wide))).toBeLessThanOrEqual(columns);
  });
});

describe("withoutColors", () => {
  it("keeps the widths and drops the colours", () => {
    const plain = withoutColors(wide);
    expect(plain.red("x")).toBe("x");
    expect(plain.width("日本")).toBe(4);
    expect(withoutColors(PLAIN_STYLE)).toBe(PLAIN_STYLE);
  });
});
