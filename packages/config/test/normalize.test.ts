import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeEmail, normalizeEmailByPatterns, plainAsciiEmail } from "../src/normalize.js";

// normalizeEmail reads plain ASCII addresses in one pass (plainAsciiEmail) and everything else
// through core's normalization and the patterns (normalizeEmailByPatterns): the two must agree.

// Characters that decide the outcome: letters of both cases, digits, every character a pattern
// names, white space, and a few beyond ASCII (é composed and decomposed).
const CHARS = [..."aZ9-_+.@\"(),:;<>[\\]!#$%&'*/=?^`{|}~ \t\n", "\u007f", "é", "e\u0301", "\u00a0", "ß"];
// Mostly the characters of valid addresses, so that most strings reach every check.
const char = fc.oneof(
  { arbitrary: fc.constantFrom("a", "Z", "9", ".", "-"), weight: 12 },
  { arbitrary: fc.constantFrom(...CHARS), weight: 1 },
);
const text = (maxLength: number) => fc.array(char, { maxLength }).map((parts) => parts.join(""));
// Shaped like an address: local@label.label...
const addressLike = fc
  .tuple(text(8), fc.array(text(6), { minLength: 1, maxLength: 4 }))
  .map(([local, labels]) => `${local}@${labels.join(".")}`);
// And lengths around the limits of 64 (local part) and 254 (whole), with labels of at most 63.
const long = fc
  .tuple(fc.integer({ min: 60, max: 68 }), fc.integer({ min: 150, max: 200 }), addressLike)
  .map(
    ([local, domain, rest]) =>
      `${"a".repeat(local)}${rest}.${"b".repeat(domain).replace(/(.{50})/g, "$1.")}com`,
  );

describe("normalizeEmail", () => {
  it("gives what core's normalization and the patterns give, for any string", () => {
    fc.assert(
      fc.property(fc.oneof(text(24), addressLike, long, fc.string({ maxLength: 80 })), (raw) => {
        expect(normalizeEmail(raw)).toBe(normalizeEmailByPatterns(raw));
      }),
      { numRuns: 20_000 },
    );
  });

  it("reads plain ASCII addresses itself, and leaves the rest to the patterns", () => {
    expect(plainAsciiEmail("Ada.Lovelace+vip@Example.co.uk")).toBe("ada.lovelace+vip@example.co.uk");
    expect(plainAsciiEmail("ada..l@example.com")).toBeUndefined();
    expect(plainAsciiEmail(".ada@example.com")).toBeUndefined();
    expect(plainAsciiEmail("ada.@example.com")).toBeUndefined();
    expect(plainAsciiEmail('"ada"@example.com')).toBeUndefined();
    expect(plainAsciiEmail("ada@example")).toBeUndefined();
    expect(plainAsciiEmail("ada@.example.com")).toBeUndefined();
    expect(plainAsciiEmail("ada@example.com.")).toBeUndefined();
    expect(plainAsciiEmail("ada@b@example.com")).toBeUndefined();
    expect(plainAsciiEmail(`${"a".repeat(65)}@example.com`)).toBeUndefined();
    expect(plainAsciiEmail(`${"a".repeat(64)}@example.com`)).toBe(`${"a".repeat(64)}@example.com`);
    expect(plainAsciiEmail("ada@exa_mple.com")).toBeUndefined(); // the domain pattern decides
    // 60 + "@" + labels of 50 b's + ".com": n characters.
    const ofLength = (n: number) =>
      `${"a".repeat(60)}@${Array.from({ length: n - 65 }, (_, k) => (k % 51 === 50 ? "." : "b")).join("")}.com`;
    expect(ofLength(254)).toHaveLength(254);
    expect(plainAsciiEmail(ofLength(254))).toBe(ofLength(254));
    expect(plainAsciiEmail(ofLength(255))).toBeUndefined();
    for (const raw of [" ada@example.com", "adé@example.com", "ada@example.com\n"]) {
      expect(plainAsciiEmail(raw)).toBeNull();
    }
    expect(normalizeEmail(" Adé@Example.com ")).toBe("adé@example.com");
  });
});
