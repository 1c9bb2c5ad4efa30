import { describe, expect, it } from "vitest";
import { generateSeed } from "../src/index.js";

describe("generateSeed", () => {
  const seed = generateSeed({ customers: 2000, groups: 8, seed: 42 });

  it("is deterministic for a seed and differs across seeds", () => {
    expect(generateSeed({ customers: 2000, groups: 8, seed: 42 })).toEqual(seed);
    expect(generateSeed({ customers: 2000, groups: 8, seed: 43 }).customers[0]).not.toEqual(
      seed.customers[0],
    );
  });

  it("makes the requested numbers with unique IDs, created in order", () => {
    expect(seed.groups).toHaveLength(8);
    expect(seed.customers).toHaveLength(2000);
    const ids = new Set([...seed.groups, ...seed.customers].map((x) => x.id));
    expect(ids.size).toBe(2008);
    const created = seed.customers.map((c) => Date.parse(c.created_at));
    expect(created.every((t, i) => i === 0 || t >= (created[i - 1] as number))).toBe(true);
  });

  it("is realistic: mixed-case emails, several phone formats, shared emails, memberships", () => {
    const emails = seed.customers.flatMap((c) => (c.email_address ? [c.email_address] : []));
    expect(emails.some((e) => e !== e.toLowerCase())).toBe(true);
    expect(emails.some((e) => e === e.toLowerCase())).toBe(true);
    const lower = emails.map((e) => e.toLowerCase());
    expect(new Set(lower).size).toBeLessThan(lower.length);
    const phones = seed.customers.flatMap((c) => (c.phone_number ? [c.phone_number] : []));
    const shapes = new Set(phones.map((p) => p.replace(/\d/g, "9")));
    expect(shapes.size).toBeGreaterThanOrEqual(5);
    const groupIds = new Set(seed.groups.map((g) => g.id));
    const memberships = seed.customers.flatMap((c) => c.group_ids ?? []);
    expect(memberships.length).toBeGreaterThan(1000);
    expect(memberships.every((g) => groupIds.has(g))).toBe(true);
    expect(
      seed.customers.some((c) => !c.given_name && !c.family_name && !c.email_address && !c.phone_number),
    ).toBe(true);
  });
});
