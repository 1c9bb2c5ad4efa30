import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  escapeQuotedUnsafe,
  escapeMarkdown,
  escapeText,
  hasUnsafeChars,
  maskUnsafeChars,
  neutralizeCsvCell,
  quoteText,
} from "./sanitize.js";

// Every character the sanitizer must never let through raw.
const UNSAFE_CODES = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x061c,
  0x200e,
  0x200f,
  0x2028,
  0x2029,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
];
const UNSAFE_RAW = new RegExp(
  `[${UNSAFE_CODES.map((c) => `\\u${c.toString(16).padStart(4, "0")}`).join("")}]`,
);

describe("escapeText", () => {
  it.each([
    ["\u001b[31mred", "\\u001b[31mred"],
    ["Ann\nPlan: 0 to create", "Ann\\nPlan: 0 to create"],
    ["a\rb\tc", "a\\rb\\tc"],
    ["\u202egnp.exe", "\\u202egnp.exe"],
    ["\u2066x\u2069 \u200e\u200f\u061c", "\\u2066x\\u2069 \\u200e\\u200f\\u061c"],
    ["del\u007f c1\u009b", "del\\u007f c1\\u009b"],
    ["Zoë 😀 名前", "Zoë 😀 名前"],
  ])("%j -> %j", (raw, shown) => {
    expect(escapeText(raw)).toBe(shown);
  });

  it("lets no unsafe character through, whatever the string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(escapeText(s)).not.toMatch(UNSAFE_RAW);
        expect(hasUnsafeChars(escapeText(s))).toBe(false);
      }),
    );
  });

  it("covers every unsafe code point", () => {
    for (const code of UNSAFE_CODES) expect(hasUnsafeChars(String.fromCharCode(code))).toBe(true);
  });
});

describe("quoteText", () => {
  it.each([
    ["Old List", '"Old List"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["x\ny", '"x\\ny"'],
  ])("%j -> %s", (raw, shown) => {
    expect(quoteText(raw)).toBe(shown);
  });

  it("reads back with JSON.parse for strings without bidi or C1 characters", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(JSON.parse(quoteText(s))).toBe(s);
      }),
    );
  });
});

describe("maskUnsafeChars", () => {
  it("keeps one character per character (for carets)", () => {
    expect(maskUnsafeChars("a\u202eb\u001bc")).toBe("a\uFFFDb\uFFFDc");
  });
});

describe("escapeMarkdown", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", "&lt;img src\\=x onerror\\=alert\\(1\\)&gt;"],
    ["@everyone", "@&#8203;everyone"],
    ["[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"],
    ["![i](https://e.example/p.png)", "\\!\\[i\\]\\(https:&#8203;//e.example/p.png\\)"],
    ["`code` | cell", "\\`code\\` \\| cell"],
    ["*b* _i_ ~s~ # h", "\\*b\\* \\_i\\_ \\~s\\~ \\# h"],
    ["a & b", "a &amp; b"],
    ["www.example.com", "www&#8203;.example.com"],
    ["\u001b[31m\nPlan: 0", "\\\\u001b\\[31m\\\\nPlan: 0"],
  ])("%j -> %j", (raw, shown) => {
    expect(escapeMarkdown(raw)).toBe(shown);
  });

  it("leaves no raw HTML, code span, link, table cell or mention in any string", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const md = escapeMarkdown(s);
        expect(md).not.toMatch(/[<>]/);
        expect(md).not.toMatch(/(^|[^\\])[`[\]|]/);
        expect(md).not.toMatch(/@(?!&#8203;)/);
        expect(md).not.toMatch(UNSAFE_RAW);
      }),
    );
  });
});

describe("escapeQuotedUnsafe", () => {
  it("writes what JSON.stringify leaves raw as \\u escapes, the same data once parsed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const json = escapeQuotedUnsafe(JSON.stringify({ s }));
        expect(json).not.toMatch(UNSAFE_RAW);
        expect(JSON.parse(json)).toEqual({ s });
      }),
    );
  });
});

describe("neutralizeCsvCell", () => {
  it.each([
    ['=HYPERLINK("http://e.example","x")', `'=HYPERLINK("http://e.example","x")`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["+14155550100", "+14155550100"],
    ["-5", "-5"],
    ["Ada", "Ada"],
    ["a=b", "a=b"],
  ])("%j -> %j", (raw, written) => {
    expect(neutralizeCsvCell(raw)).toBe(written);
  });
});
