import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatConfig,
  parseConfig,
  stringifyConfig,
  suggestGroupKey,
  type MemberInput,
} from "../src/index.js";

describe("stringifyConfig (groupsync import)", () => {
  it("writes a canonical groups.yaml", () => {
    const text = stringifyConfig(
      {
        unmanaged_groups: "ignore",
        groups: [
          {
            key: "summer-conference-2022",
            name: "Summer Conference 2022",
            id: "2TAT3CMH4Q0A9M87XJZED0WMR3",
            members: [{ email: "ada@example.com" }, { phone: "+14155550100" }, { customer_id: "12345" }],
          },
          { key: "odd", name: "Odd: #1", previously: ["true"], membership: "additive", members: [] },
        ],
      },
      { schema: "./groups.schema.json", header: "Imported from Square." },
    );
    expect(text).toBe(
      [
        "# yaml-language-server: $schema=./groups.schema.json",
        "# Imported from Square.",
        "",
        "version: 1",
        "unmanaged_groups: ignore",
        "groups:",
        "  summer-conference-2022:",
        "    name: Summer Conference 2022",
        "    id: 2TAT3CMH4Q0A9M87XJZED0WMR3",
        "    members:",
        "      - email: ada@example.com",
        '      - phone: "+14155550100"',
        '      - customer_id: "12345"',
        "  odd:",
        '    name: "Odd: #1"',
        '    previously: ["true"]',
        "    membership: additive",
        "    members: []",
        "",
      ].join("\n"),
    );
  });

  const name = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s !== "");
  const local = fc.stringMatching(/^[a-z0-9][a-z0-9_+.-]{0,10}[a-z0-9]$/).filter((l) => !l.includes(".."));
  const member: fc.Arbitrary<MemberInput> = fc.oneof(
    fc.tuple(local, fc.domain()).map(([l, d]) => ({ email: `${l}@${d}` })),
    fc.integer({ min: 100, max: 199 }).map((n) => ({ phone: `+1415555${String(n).padStart(4, "0")}` })),
    fc.domain().map((email_domain) => ({ email_domain })),
    fc.stringMatching(/^[A-Z0-9]{1,26}$/).map((customer_id) => ({ customer_id })),
  );
  const groupsArb = fc.uniqueArray(
    fc.record({
      name,
      members: fc.uniqueArray(member, { maxLength: 5, selector: (m) => JSON.stringify(m) }),
    }),
    { maxLength: 4, selector: (g) => g.name.normalize("NFC").replace(/\s+/g, " ").toLowerCase() },
  );

  it("parses back to the same state, and is already formatted (property)", () => {
    fc.assert(
      fc.property(groupsArb, (groups) => {
        const input = groups.map((g, i) => ({ key: `g${i}`, ...g }));
        const text = stringifyConfig({ groups: input });
        const result = parseConfig(text);
        expect(result.ok && result.desired.groups.map((g) => [g.key, g.name, g.rules])).toEqual(
          input.map((g) => [
            g.key,
            g.name,
            g.members.map((m) => {
              const [kind, value] = Object.entries(m)[0]!;
              return { kind, value };
            }),
          ]),
        );
        expect(formatConfig(text)).toEqual({ ok: true, text });
      }),
      { numRuns: 40 },
    );
  });
});

describe("suggestGroupKey", () => {
  it.each([
    ["Summer Conference 2022", "summer-conference-2022"],
    ["  Café VIPs!! ", "cafe-vips"],
    ["日本", "group"],
  ])("%j -> %j", (name, key) => {
    expect(suggestGroupKey(name)).toBe(key);
  });

  it("adds a number when the key is taken", () => {
    expect(suggestGroupKey("VIP", new Set(["vip", "vip-2"]))).toBe("vip-3");
  });
});
