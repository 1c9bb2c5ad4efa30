import { describe, expect, it } from "vitest";
import { desired, email, group, live, liveGroup, profile } from "../test/support/builders.js";
import { applyPlan } from "../test/support/apply-plan.js";
import { diff } from "./diff.js";
import { renderText } from "./render-text.js";
import type { DesiredGroup, LiveState, Plan } from "./types.js";

const brief = (plan: Plan): string[] => plan.actions.map((a) => `${a.type} ${a.address}`);
const codes = (items: readonly { code: string }[]): string[] => items.map((i) => i.code);

describe("diff: matching groups (DESIGN.md §3)", () => {
  it.each<{
    name: string;
    entry: DesiredGroup;
    groups: LiveState["groups"];
    matchedBy: string;
    actions: string[];
  }>([
    {
      name: "pinned id, same name: no change",
      entry: group("vip", { name: "VIP", id: "G1" }),
      groups: [liveGroup("G1", "VIP"), liveGroup("G2", "VIP")],
      matchedBy: "id",
      actions: [],
    },
    {
      name: "pinned id wins over name, other name: rename",
      entry: group("vip", { name: "VIP", id: "G2" }),
      groups: [liveGroup("G1", "VIP"), liveGroup("G2", "Very Important")],
      matchedBy: "id",
      actions: ["rename_group group.vip"],
    },
    {
      name: "exact name",
      entry: group("vip", { name: "VIP" }),
      groups: [liveGroup("G1", "VIP")],
      matchedBy: "name",
      actions: [],
    },
    {
      name: "name differing in case: rename",
      entry: group("vip", { name: "VIP Customers" }),
      groups: [liveGroup("G1", "vip customers")],
      matchedBy: "name",
      actions: ["rename_group group.vip"],
    },
    {
      name: "name differing in spacing: rename",
      entry: group("vip", { name: "VIP Customers" }),
      groups: [liveGroup("G1", "  VIP \t  Customers ")],
      matchedBy: "name",
      actions: ["rename_group group.vip"],
    },
    {
      name: "name differing in Unicode normalization (NFD vs NFC): rename to the file's form",
      entry: group("cafe", { name: "Caf\u00e9" }),
      groups: [liveGroup("G1", "Cafe\u0301")],
      matchedBy: "name",
      actions: ["rename_group group.cafe"],
    },
    {
      name: "previously: rename, never create",
      entry: group("summer", { name: "Summer Conference 2022", previously: ["Summer Conf 22"] }),
      groups: [liveGroup("G1", "summer conf 22")],
      matchedBy: "previously",
      actions: ["rename_group group.summer"],
    },
    {
      name: "name wins over previously",
      entry: group("summer", { name: "Summer", previously: ["Old"] }),
      groups: [liveGroup("G1", "Old"), liveGroup("G2", "Summer")],
      matchedBy: "name",
      actions: [],
    },
    {
      name: "nothing matches: create",
      entry: group("summer", { name: "Summer", previously: ["Old"] }),
      groups: [liveGroup("G1", "Other")],
      matchedBy: "none",
      actions: ["create_group group.summer"],
    },
  ])("$name", ({ entry, groups, matchedBy, actions }) => {
    const plan = diff(desired([entry]), live(groups));
    expect(plan.errors).toEqual([]);
    expect(plan.groups[0]?.matchedBy).toBe(matchedBy);
    expect(brief(plan)).toEqual(actions);
  });

  it("a rename carries the live name as precondition and warns when only case/spacing differ", () => {
    const plan = diff(desired([group("vip", { name: "VIP" })]), live([liveGroup("G1", "vip")]));
    expect(plan.actions[0]).toEqual({
      type: "rename_group",
      address: "group.vip",
      group: "vip",
      groupId: "G1",
      from: "vip",
      to: "VIP",
    });
    expect(codes(plan.warnings)).toEqual(["GS_CORE_RENAME_CASE_ONLY"]);
    expect(plan.preconditions?.groups).toEqual([{ groupId: "G1", name: "vip" }]);
  });

  it.each<{ name: string; entries: DesiredGroup[]; groups: LiveState["groups"]; error: string }>([
    {
      name: "pinned id missing",
      entries: [group("vip", { id: "NOPE" })],
      groups: [liveGroup("G1", "vip")],
      error: "GS_CORE_PINNED_GROUP_NOT_FOUND",
    },
    {
      name: "two live groups with the entry's name",
      entries: [group("vip", { name: "VIP" })],
      groups: [liveGroup("G1", "VIP"), liveGroup("G2", "vip ")],
      error: "GS_CORE_DUPLICATE_LIVE_GROUP_NAME",
    },
    {
      name: "two live groups with names from previously",
      entries: [group("vip", { name: "VIP", previously: ["A", "B"] })],
      groups: [liveGroup("G1", "A"), liveGroup("G2", "B")],
      error: "GS_CORE_DUPLICATE_LIVE_GROUP_NAME",
    },
    {
      name: "two entries claiming one live group (name and pinned id)",
      entries: [group("a", { name: "VIP" }), group("b", { name: "Other", id: "G1" })],
      groups: [liveGroup("G1", "VIP")],
      error: "GS_CORE_GROUP_CLAIMED_TWICE",
    },
    {
      name: "two entries claiming one live group (pinned id and previously)",
      entries: [group("a", { name: "New", id: "G1" }), group("b", { name: "B", previously: ["Old"] })],
      groups: [liveGroup("G1", "Old")],
      error: "GS_CORE_GROUP_CLAIMED_TWICE",
    },
    {
      name: "two entries claiming one live group (same name)",
      entries: [group("a", { name: "VIP" }), group("b", { name: "vip" })],
      groups: [liveGroup("G1", "VIP")],
      error: "GS_CORE_GROUP_CLAIMED_TWICE",
    },
  ])("error: $name, telling to pin id", ({ entries, groups, error }) => {
    const plan = diff(desired(entries, { unmanagedGroups: "delete" }), live(groups));
    expect(codes(plan.errors)).toEqual([error]);
    expect(plan.errors[0]?.hint ?? "").toMatch(/id/);
    // Never a create or delete for a group that could not be matched safely.
    expect(plan.actions.filter((a) => a.type === "create_group" || a.type === "delete_group")).toEqual([]);
  });

  it("previously does not claim a live group that carries another entry's name", () => {
    const entries = [group("a", { name: "New" }), group("b", { name: "B", previously: ["New"] })];
    const plan = diff(desired(entries), live([liveGroup("G1", "New")]));
    expect(plan.errors).toEqual([]);
    expect(brief(plan)).toEqual(["create_group group.b"]);
  });

  it.each([
    { unmanaged: "ignore" as const, actions: [] },
    { unmanaged: "delete" as const, actions: ['delete_group group["G2"]'] },
  ])("unmanaged_groups: $unmanaged", ({ unmanaged, actions }) => {
    const state = live(
      [liveGroup("G1", "VIP"), liveGroup("G2", "Old")],
      [profile("C1", { groupIds: ["G2"] })],
    );
    const plan = diff(desired([group("vip", { name: "VIP" })], { unmanagedGroups: unmanaged }), state);
    expect(brief(plan)).toEqual(actions);
    expect(plan.safety.deletes).toBe(actions.length);
    if (actions.length > 0)
      expect(plan.safety.deletedGroups).toEqual([{ groupId: "G2", name: "Old", liveMembers: 1 }]);
  });

  it.each([
    { counted: 36, shown: 36, mass: true },
    { counted: 10, shown: 10, mass: false }, // not more than maxRemovalCount (10)
    { counted: 0, shown: 1, mass: false }, // a count behind the live state: the larger wins
  ])("a deleted group shows Square's count ($counted) and is a mass removal over 10", (c) => {
    const state = live(
      [liveGroup("G1", "VIP"), liveGroup("G2", "Old")],
      [profile("C1", { groupIds: ["G2"] })],
    );
    const plan = diff(desired([group("vip", { name: "VIP" })], { unmanagedGroups: "delete" }), state, {
      memberCounts: new Map([["G2", c.counted]]),
    });
    expect(plan.safety.deletedGroups).toEqual([{ groupId: "G2", name: "Old", liveMembers: c.shown }]);
    expect(plan.safety.massRemovals).toEqual(
      c.mass ? [{ group: 'group["G2"]', removing: c.shown, liveMembers: c.shown, reason: "delete" }] : [],
    );
  });
});

describe("diff: a profile listed twice in the live state", () => {
  it("counts once: one action per profile, no false ambiguity", () => {
    const ada = profile("C1", { emailAddress: "ada@example.com" });
    const zed = profile("C2", { emailAddress: "zed@example.com", groupIds: ["G1"] });
    const entry = group("vip", { name: "VIP", match: "all", rules: [email("ada@example.com")] });
    const plan = diff(desired([entry]), live([liveGroup("G1", "VIP")], [ada, zed, ada, zed]));
    expect(brief(plan)).toEqual([
      'add_member member.vip["ada@example.com"]',
      'remove_member member.vip["C2"]',
    ]);
    expect(plan.rules[0]).toMatchObject({ status: "matched", profileIds: ["C1"] });
    expect(plan.warnings).toEqual([]);
  });
});

describe("diff: safety (DESIGN.md §5)", () => {
  const members = (n: number): ReturnType<typeof profile>[] =>
    Array.from({ length: n }, (_, i) =>
      profile(`C${String(i).padStart(3, "0")}`, { emailAddress: `m${i}@x.com`, groupIds: ["G1"] }),
    );
  const keep = (n: number): ReturnType<typeof email>[] =>
    Array.from({ length: n }, (_, i) => email(`m${i}@x.com`));

  it.each([
    { name: "11 of 40 (27.5%): mass", live: 40, kept: 29, mass: true },
    { name: "10 of 20 (50%, but only 10): not mass", live: 20, kept: 10, mass: false },
    { name: "11 of 50 (22%): not mass", live: 50, kept: 39, mass: false },
    { name: "12 of 12: mass", live: 12, kept: 0, mass: true },
  ])("$name", ({ live: n, kept, mass }) => {
    const entry = group("vip", { name: "VIP", rules: kept === 0 ? [email("nobody@x.com")] : keep(kept) });
    const plan = diff(desired([entry]), live([liveGroup("G1", "VIP")], members(n)));
    expect(plan.summary.remove).toBe(n - kept);
    expect(plan.safety.massRemovals).toEqual(
      mass ? [{ group: "vip", removing: n - kept, liveMembers: n, reason: "threshold" }] : [],
    );
  });

  it.each([
    { name: "max_removals 2, removing 3 of 40 (7.5%): mass", limit: 2, live: 40, kept: 37, mass: true },
    { name: "max_removals 3, removing 3: not mass", limit: 3, live: 40, kept: 37, mass: false },
    { name: "max_removals 0, removing 1: mass", limit: 0, live: 5, kept: 4, mass: true },
    {
      name: "max_removals 20, removing 12 of 12 (over the default): not mass",
      limit: 20,
      live: 12,
      kept: 0,
      mass: false,
    },
  ])("$name", ({ limit, live: n, kept, mass }) => {
    const rules = kept === 0 ? [email("nobody@x.com")] : keep(kept);
    const entry = group("vip", { name: "VIP", maxRemovals: limit, rules });
    const plan = diff(desired([entry]), live([liveGroup("G1", "VIP")], members(n)));
    expect(plan.summary.remove).toBe(n - kept);
    expect(plan.safety.massRemovals).toEqual(
      mass ? [{ group: "vip", removing: n - kept, liveMembers: n, reason: "max_removals", limit }] : [],
    );
    if (mass) expect(renderText(plan)).toContain(`(more than its max_removals: ${limit})`);
  });

  it("max_removals does not lift the guard on an authoritative group without rules", () => {
    const entry = group("vip", { name: "VIP", maxRemovals: 100 });
    const plan = diff(desired([entry]), live([liveGroup("G1", "VIP")], members(3)));
    expect(plan.safety.massRemovals).toMatchObject([{ group: "vip", reason: "no_rules", limit: 100 }]);
  });

  it("custom thresholds", () => {
    const entry = group("vip", { name: "VIP", rules: keep(8) });
    const plan = diff(desired([entry]), live([liveGroup("G1", "VIP")], members(10)), {
      thresholds: { maxRemovalFraction: 0.1, maxRemovalCount: 1 },
    });
    expect(plan.safety.massRemovals).toHaveLength(1);
  });

  it.each([
    {
      membership: "authoritative" as const,
      mass: [{ group: "vip", removing: 2, liveMembers: 2, reason: "no_rules" }],
    },
    { membership: "additive" as const, mass: [] },
  ])("a group with no rules that has live members, $membership", ({ membership, mass }) => {
    const plan = diff(
      desired([group("vip", { name: "VIP", membership })]),
      live([liveGroup("G1", "VIP")], members(2)),
    );
    expect(plan.safety.massRemovals).toEqual(mass);
  });
});

describe("diff: plan shape", () => {
  it("orders actions as DESIGN.md §4, then by address, and counts them", () => {
    const state = live(
      [liveGroup("G1", "Old name"), liveGroup("G9", "Gone")],
      [
        profile("C1", { emailAddress: "zed@example.com", groupIds: ["G1"] }),
        profile("C2", { emailAddress: "bob@example.com" }),
      ],
    );
    const entries = [
      group("b", {
        name: "New name",
        previously: ["Old name"],
        missing: "create",
        rules: [email("bob@example.com"), email("amy@example.com")],
      }),
      group("a", { rules: [email("bob@example.com")] }),
    ];
    const plan = diff(desired(entries, { unmanagedGroups: "delete" }), state);
    expect(brief(plan)).toEqual([
      "create_group group.a",
      "rename_group group.b",
      'create_customer customer.b["amy@example.com"]',
      'add_member member.a["bob@example.com"]',
      'add_member member.b["amy@example.com"]',
      'add_member member.b["bob@example.com"]',
      'remove_member member.b["C1"]',
      'delete_group group["G9"]',
    ]);
    expect(plan.summary).toEqual({ create: 1, rename: 1, createCustomer: 1, add: 3, remove: 1, delete: 1 });
    expect(plan.preconditions).toEqual({
      groups: [
        { groupId: "G1", name: "Old name" },
        { groupId: "G9", name: "Gone" },
      ],
      absentGroupNames: ["a"],
      memberships: [
        { customerId: "C1", groupId: "G1", member: true },
        { customerId: "C2", groupId: "G1", member: false },
      ],
      // Both groups add bob by the same rule: one entry.
      matches: [{ customerId: "C2", kind: "email", value: "bob@example.com" }],
      absentProfiles: [{ kind: "email", value: "amy@example.com" }],
      country: "US",
    });
    expect(
      applyPlan(plan, state)
        .groups.map((g) => g.name)
        .sort(),
    ).toEqual(["New name", "a"]);
  });
});
