import { describe, expect, it } from "vitest";
import { formatConfig } from "../src/index.js";
import { desiredOf, problemsOf, yaml } from "./helpers.js";

// Issue 19: `max_removals` in defaults or per group (DESIGN.md §2).
describe("max_removals", () => {
  it("comes from defaults, and a group's own replaces it", () => {
    const desired = desiredOf(yaml`
      version: 1
      defaults:
        max_removals: 5
      groups:
        vip:
          name: VIP
          max_removals: 0
        gold:
          name: Gold
    `);
    expect(desired.groups.map((g) => [g.key, g.maxRemovals])).toEqual([
      ["vip", 0],
      ["gold", 5],
    ]);
  });

  it("is absent when not written", () => {
    const desired = desiredOf("version: 1\ngroups:\n  vip:\n    name: VIP\n");
    expect(desired.groups[0]).not.toHaveProperty("maxRemovals");
  });

  it("must be a whole number of 0 or more", () => {
    const text = yaml`
      version: 1
      defaults:
        max_removals: ten
      groups:
        vip:
          name: VIP
          max_removals: -1
        gold:
          name: Gold
          max_removals: 2.5
    `;
    expect(problemsOf(text)).toEqual([
      "3:17 GS_CONFIG_WRONG_TYPE: defaults.max_removals must be a whole number, but it is text 'ten'",
      "7:19 GS_CONFIG_INVALID_VALUE: groups.vip.max_removals must be 0 or more, but it is the number -1",
      "10:19 GS_CONFIG_WRONG_TYPE: groups.gold.max_removals must be a whole number, but it is the number 2.5",
    ]);
  });

  it("fmt puts it after missing", () => {
    const result = formatConfig(
      "version: 1\ndefaults:\n  max_removals: 3\n  country: US\ngroups:\n  vip:\n    members: []\n    max_removals: 2\n    name: VIP\n",
    );
    expect(result).toEqual({
      ok: true,
      text: "version: 1\ndefaults:\n  country: US\n  max_removals: 3\ngroups:\n  vip:\n    name: VIP\n    max_removals: 2\n    members: []\n",
    });
  });
});
