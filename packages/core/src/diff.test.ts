import { describe, expect, it } from "vitest";
import {
  customerId,
  desired,
  domain,
  email,
  group,
  live,
  liveGroup,
  phone,
  profile,
} from "../test/support/builders.js";
import { applyPlan } from "../test/support/apply-plan.js";
import { diff } from "./diff.js";
import { renderText } from "./render-text.js";
import type { Action, DesiredGroup, LiveState, Plan } from "./types.js";

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
    expect(codes(plan.warnings)).toEqual(["rename_case_only"]);
    expect(plan.preconditions?.groups).toEqual([{ groupId: "G1", name: "vip" }]);
  });

  it.each<{ name: string; entries: DesiredGroup[]; groups: LiveState["groups"]; error: string }>([
    {
      name: "pinned id missing",
      entries: [group("vip", { id: "NOPE" })],
      groups: [liveGroup("G1", "vip")],
      error: "pinned_group_not_found",
    },
    {
      name: "two live groups with the entry's name",
      entries: [group("vip", { name: "VIP" })],
      groups: [liveGroup("G1", "VIP"), liveGroup("G2", "vip ")],
      error: "duplicate_live_group_name",
    },
    {
      name: "two live groups with names from previously",
      entries: [group("vip", { name: "VIP", previously: ["A", "B"] })],
      groups: [liveGroup("G1", "A"), liveGroup("G2", "B")],
      error: "duplicate_live_group_name",
    },
    {
      name: "two entries claiming one live group (name and pinned id)",
      entries: [group("a", { name: "VIP" }), group("b", { name: "Other", id: "G1" })],
      groups: [liveGroup("G1", "VIP")],
      error: "group_claimed_twice",
    },
    {
      name: "two entries claiming one live group (pinned id and previously)",
      entries: [group("a", { name: "New", id: "G1" }), group("b", { name: "B", previously: ["Old"] })],
      groups: [liveGroup("G1", "Old")],
      error: "group_claimed_twice",
    },
    {
      name: "two entries claiming one live group (same name)",
      entries: [group("a", { name: "VIP" }), group("b", { name: "vip" })],
      groups: [liveGroup("G1", "VIP")],
      error: "group_claimed_twice",
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
});

describe("diff: rules (DESIGN.md §3)", () => {
  const G = liveGroup("G1", "VIP");

  it.each<{ name: string; rule: ReturnType<typeof email>; stored: Partial<Parameters<typeof profile>[1]> }>([
    {
      name: "email, any case and spaces",
      rule: email("ada@example.com"),
      stored: { emailAddress: " Ada@Example.COM " },
    },
    {
      name: "phone, national format",
      rule: phone("+14155550100"),
      stored: { phoneNumber: "(415) 555-0100" },
    },
    {
      name: "phone, international punctuated",
      rule: phone("+14155550100"),
      stored: { phoneNumber: "+1 415-555-0100" },
    },
    { name: "email_domain", rule: domain("example.org"), stored: { emailAddress: "bob@EXAMPLE.org" } },
    { name: "customer_id", rule: customerId("C1"), stored: {} },
  ])("$name matches", ({ rule, stored }) => {
    const plan = diff(
      desired([group("vip", { name: "VIP", rules: [rule] })]),
      live(
        [G],
        [
          profile("C1", stored),
          profile("C2", { emailAddress: "x@sub.example.org", phoneNumber: "+14155550199" }),
        ],
      ),
    );
    expect(plan.rules.map((r) => [r.status, r.profileIds])).toEqual([["matched", ["C1"]]]);
    expect(brief(plan)).toEqual([
      `add_member member.vip[${JSON.stringify(rule.kind === "email_domain" ? "C1" : plan.rules[0]?.rule)}]`,
    ]);
  });

  it("match one: satisfied when any matching profile is already in the group", () => {
    const profiles = [
      profile("C1", { emailAddress: "ada@example.com", createdAt: "2020-01-01T00:00:00Z" }),
      profile("C2", { emailAddress: "ada@example.com", createdAt: "2021-01-01T00:00:00Z", groupIds: ["G1"] }),
    ];
    const plan = diff(
      desired([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]),
      live([G], profiles),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.rules[0]).toMatchObject({ status: "ambiguous", profileIds: ["C1", "C2"] });
    expect(codes(plan.warnings)).toEqual(["duplicate_profiles"]);
  });

  it.each([
    {
      name: "oldest created",
      profiles: [
        profile("C1", { emailAddress: "ada@example.com", createdAt: "2021-01-01T00:00:00Z" }),
        profile("C2", { emailAddress: "ada@example.com", createdAt: "2020-06-01T10:00:00+02:00" }),
      ],
      picked: "C2",
    },
    {
      name: "ties by ID",
      profiles: [
        profile("C9", { emailAddress: "ada@example.com", createdAt: "2020-01-01T00:00:00Z" }),
        profile("C3", { emailAddress: "ada@example.com", createdAt: "2020-01-01T00:00:00.000Z" }),
      ],
      picked: "C3",
    },
  ])("match one: otherwise adds the $name matching profile", ({ profiles, picked }) => {
    const plan = diff(
      desired([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]),
      live([G], profiles),
    );
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({
      type: "add_member",
      address: 'member.vip["ada@example.com"]',
      customer: { id: picked },
      groupRef: { id: "G1" },
      identity: { email: "ada@example.com", inFile: true },
    });
  });

  it("match all: adds every matching profile not in the group", () => {
    const profiles = [
      profile("C1", { emailAddress: "ada@example.com" }),
      profile("C2", { emailAddress: "ada@example.com", groupIds: ["G1"] }),
      profile("C3", { emailAddress: "ADA@example.com" }),
    ];
    const entry = group("vip", { name: "VIP", match: "all", rules: [email("ada@example.com")] });
    const plan = diff(desired([entry]), live([G], profiles));
    expect(brief(plan)).toEqual(['add_member member.vip["C1"]', 'add_member member.vip["C3"]']);
    // Several matches are what match: all asks for, not an ambiguity.
    expect(plan.rules[0]).toMatchObject({ status: "matched", profileIds: ["C1", "C2", "C3"] });
  });

  it.each([
    { rule: phone("+14155550100"), stored: ["+14155550100", "(415) 555-0100"] },
    { rule: email("ada@example.com"), stored: ["ada@example.com", "ADA@EXAMPLE.COM"] },
  ])("match all with a $rule.kind rule adds every matching profile", ({ rule, stored }) => {
    const field = rule.kind === "phone" ? "phoneNumber" : "emailAddress";
    const profiles = stored.map((value, i) => profile(`C${i}`, { [field]: value }));
    const entry = group("vip", { name: "VIP", match: "all", rules: [rule] });
    expect(brief(diff(desired([entry]), live([G], profiles)))).toEqual([
      'add_member member.vip["C0"]',
      'add_member member.vip["C1"]',
    ]);
  });

  it("match one with a customer_id rule already in the group: nothing to do", () => {
    const entry = group("vip", { name: "VIP", rules: [customerId("C1")] });
    const plan = diff(desired([entry]), live([G], [profile("C1", { groupIds: ["G1"] })]));
    expect(plan.actions).toEqual([]);
    expect(plan.rules).toEqual([
      { group: "vip", rule: "id:C1", kind: "customer_id", status: "matched", profileIds: ["C1"] },
    ]);
  });

  it("a profile several rules select is added once, credited to the first rule", () => {
    const entry = group("vip", { name: "VIP", rules: [email("ada@example.org"), domain("example.org")] });
    const plan = diff(desired([entry]), live([G], [profile("C1", { emailAddress: "ada@example.org" })]));
    expect(brief(plan)).toEqual(['add_member member.vip["ada@example.org"]']);
  });

  it("email_domain adds every profile of the domain whatever match says", () => {
    const profiles = [
      profile("C1", { emailAddress: "a@example.org" }),
      profile("C2", { emailAddress: "b@example.org" }),
    ];
    const entry = group("vip", { name: "VIP", match: "one", rules: [domain("example.org")] });
    const plan = diff(desired([entry]), live([G], profiles));
    expect(brief(plan)).toEqual(['add_member member.vip["C1"]', 'add_member member.vip["C2"]']);
    expect(plan.rules[0]).toMatchObject({ status: "matched", profileIds: ["C1", "C2"] });
  });

  it("a domain rule whose profiles are all in the group: no changes and nothing reported as ambiguous", () => {
    const profiles = [
      profile("C1", { emailAddress: "a@example.org", groupIds: ["G1"] }),
      profile("C2", { emailAddress: "b@example.org", groupIds: ["G1"] }),
    ];
    const entry = group("vip", { name: "VIP", rules: [domain("example.org")] });
    const plan = diff(desired([entry]), live([G], profiles));
    expect(plan.actions).toEqual([]);
    expect(renderText(plan)).toBe("No changes.\n");
  });

  it.each([
    { membership: "authoritative" as const, actions: ['remove_member member.vip["C2"]'] },
    { membership: "additive" as const, actions: [] },
  ])("membership $membership", ({ membership, actions }) => {
    const profiles = [
      profile("C1", { emailAddress: "ada@example.com", groupIds: ["G1"] }),
      profile("C2", { emailAddress: "bob@example.com", groupIds: ["G1"], version: 4 }),
    ];
    const entry = group("vip", { name: "VIP", membership, rules: [email("ada@example.com")] });
    const plan = diff(desired([entry]), live([G], profiles));
    expect(brief(plan)).toEqual(actions);
    if (actions.length > 0) {
      expect(plan.actions[0]).toMatchObject({
        customerId: "C2",
        identity: { email: "bob@example.com", inFile: false },
      });
      expect(plan.preconditions?.memberships).toEqual([
        { customerId: "C2", groupId: "G1", member: true, version: 4 },
      ]);
    }
  });

  it("authoritative keeps every member a rule matches, also duplicates of a match one rule", () => {
    const profiles = [
      profile("C1", { emailAddress: "ada@example.com", groupIds: ["G1"], createdAt: "2020-01-01T00:00:00Z" }),
      profile("C2", { emailAddress: "ada@example.com", groupIds: ["G1"], createdAt: "2021-01-01T00:00:00Z" }),
    ];
    const plan = diff(
      desired([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]),
      live([G], profiles),
    );
    expect(plan.actions).toEqual([]);
  });

  it.each<{
    missing: DesiredGroup["missing"];
    rule: ReturnType<typeof email>;
    actions: string[];
    warnings: string[];
    errors: string[];
  }>([
    {
      missing: "skip",
      rule: email("ada@example.com"),
      actions: [],
      warnings: ["rule_not_found"],
      errors: [],
    },
    {
      missing: "error",
      rule: email("ada@example.com"),
      actions: [],
      warnings: [],
      errors: ["rule_not_found"],
    },
    {
      missing: "create",
      rule: email("ada@example.com"),
      actions: [
        'create_customer customer.vip["ada@example.com"]',
        'add_member member.vip["ada@example.com"]',
      ],
      warnings: [],
      errors: [],
    },
    {
      missing: "create",
      rule: phone("+14155550100"),
      actions: ['create_customer customer.vip["+14155550100"]', 'add_member member.vip["+14155550100"]'],
      warnings: [],
      errors: [],
    },
    { missing: "create", rule: domain("example.org"), actions: [], warnings: ["cannot_create"], errors: [] },
    { missing: "create", rule: customerId("C404"), actions: [], warnings: ["cannot_create"], errors: [] },
  ])("missing: $missing, $rule.kind rule", ({ missing, rule, actions, warnings, errors }) => {
    const plan = diff(desired([group("vip", { name: "VIP", missing, rules: [rule] })]), live([G]));
    expect(brief(plan)).toEqual(actions);
    expect(codes(plan.warnings)).toEqual(warnings);
    expect(codes(plan.errors)).toEqual(errors);
    expect(plan.rules[0]?.status).toBe("not_found");
  });

  it("missing: create makes one profile for a person two groups ask for, and a new group references its create", () => {
    const entries = [
      group("a", { missing: "create", rules: [email("ada@example.com")] }),
      group("b", { missing: "create", rules: [email("ada@example.com")] }),
    ];
    const plan = diff(desired(entries), live([liveGroup("G1", "a")]));
    const adds = plan.actions.filter(
      (a): a is Extract<Action, { type: "add_member" }> => a.type === "add_member",
    );
    expect(plan.summary.createCustomer).toBe(1);
    expect(adds.map((a) => [a.groupRef, a.customer])).toEqual([
      [{ id: "G1" }, { created: 'customer.a["ada@example.com"]' }],
      [{ created: "group.b" }, { created: 'customer.a["ada@example.com"]' }],
    ]);
  });

  it("a profile the plan creates counts as a match for other groups' email and domain rules", () => {
    const entries = [
      group("speakers", { missing: "create", rules: [email("grace@example.com")] }),
      group("team", { missing: "error", rules: [domain("example.com")] }),
      group("vip", { missing: "error", rules: [email("grace@example.com")] }),
    ];
    const state = live([liveGroup("G1", "speakers"), liveGroup("G2", "team"), liveGroup("G3", "vip")]);
    const plan = diff(desired(entries), state);
    expect(plan.errors).toEqual([]);
    expect(
      plan.actions.map((a) => [a.address, a.type === "add_member" ? [a.rule, a.customer] : a.type]),
    ).toEqual([
      ['customer.speakers["grace@example.com"]', "create_customer"],
      [
        'member.speakers["grace@example.com"]',
        ["grace@example.com", { created: 'customer.speakers["grace@example.com"]' }],
      ],
      [
        'member.team["grace@example.com"]',
        ["@example.com", { created: 'customer.speakers["grace@example.com"]' }],
      ],
      [
        'member.vip["grace@example.com"]',
        ["grace@example.com", { created: 'customer.speakers["grace@example.com"]' }],
      ],
    ]);
    expect(renderText(plan)).toContain(
      "+ grace@example.com  matched by @example.com: a profile this plan creates",
    );
    expect(diff(desired(entries), applyPlan(plan, state)).actions).toEqual([]);
  });

  it("several profiles sharing one phone: a warning", () => {
    const profiles = [
      profile("C1", { phoneNumber: "+14155550100" }),
      profile("C2", { phoneNumber: "415.555.0100" }),
    ];
    const plan = diff(
      desired([group("vip", { name: "VIP", rules: [phone("+14155550100")] })]),
      live([G], profiles),
    );
    expect(plan.warnings).toEqual([
      {
        code: "duplicate_profiles",
        group: "vip",
        rule: "+14155550100",
        message: 'group "vip": 2 profiles share +14155550100; the oldest one counts',
      },
    ]);
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
