import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStringFilter, mayContain, mayContainLowerAscii } from "./string-filter.js";

describe("string filter", () => {
  it("never says no to a member", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.string(), (values, other) => {
        const filter = createStringFilter(values);
        for (const v of values) expect(mayContain(filter, v)).toBe(true);
        if (values.includes(other)) expect(mayContain(filter, other)).toBe(true);
      }),
    );
  });

  it("says no to most strings that are not members", () => {
    const filter = createStringFilter(Array.from({ length: 10_000 }, (_, i) => `member${i}@example.com`));
    let maybe = 0;
    for (let i = 0; i < 10_000; i++) if (mayContain(filter, `other${i}@example.com`)) maybe++;
    expect(maybe).toBeLessThan(100);
  });

  it("costs little for a small set (a reader indexes one group at a time) and at most 512 KiB", () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `member${i}@example.com`);
    expect(createStringFilter([]).bits.length).toBe(128);
    expect(createStringFilter(values(400)).bits.length).toBe(16 * 1024);
    expect(createStringFilter(values(300_000)).bits.length).toBe(512 * 1024);
  });

  it("mayContainLowerAscii agrees with mayContain on the trimmed, lower-cased key", () => {
    fc.assert(
      fc.property(fc.array(fc.emailAddress()), fc.emailAddress(), fc.boolean(), (values, probe, upper) => {
        const filter = createStringFilter(values.map((v) => v.toLowerCase()));
        const raw = upper ? probe.toUpperCase() : probe;
        const fused = mayContainLowerAscii(filter, raw);
        if (fused !== undefined) expect(fused).toBe(mayContain(filter, raw.trim().toLowerCase()));
        if (values.length > 0)
          expect(mayContainLowerAscii(filter, (values[0] ?? "").toUpperCase())).not.toBe(false);
      }),
    );
    expect(mayContainLowerAscii(createStringFilter(["a@b.c"]), " a@b.c")).toBeUndefined();
    expect(mayContainLowerAscii(createStringFilter(["é@b.c"]), "é@b.c")).toBeUndefined();
  });
});
