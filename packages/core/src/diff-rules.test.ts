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
import type { Action, DesiredGroup, Plan } from "./types.js";

const brief = (plan: Plan): string[] => plan.actions.map((a) => `${a.type} ${a.address}`);
const codes = (items: readonly { code: string }[]): string[] => items.map((i) => i.code);

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
    expect(codes(plan.warnings)).toEqual(["GS_CORE_DUPLICATE_PROFILES"]);
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
      warnings: ["GS_CORE_RULE_NOT_FOUND"],
      errors: [],
    },
    {
      missing: "error",
      rule: email("ada@example.com"),
      actions: [],
      warnings: [],
      errors: ["GS_CORE_RULE_NOT_FOUND"],
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
    {
      missing: "create",
      rule: domain("example.org"),
      actions: [],
      warnings: ["GS_CORE_CANNOT_CREATE"],
      errors: [],
    },
    {
      missing: "create",
      rule: customerId("C404"),
      actions: [],
      warnings: ["GS_CORE_CANNOT_CREATE"],
      errors: [],
    },
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
        code: "GS_CORE_DUPLICATE_PROFILES",
        group: "vip",
        rule: "+14155550100",
        message: 'group "vip": 2 profiles share +14155550100; the oldest one counts',
      },
    ]);
  });
});
