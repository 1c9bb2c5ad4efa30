import { describe, expect, it } from "vitest";
import { desired, domain, email, group, live, liveGroup, profile } from "../test/support/builders.js";
import { diff } from "./diff.js";
import { parsePlanJson, validatePlan } from "./parse-plan-json.js";
import { renderJson } from "./render-json.js";

const state = live(
  [liveGroup("G1", "VIP"), liveGroup("G2", "Old")],
  [
    profile("C1", { emailAddress: "ada@example.com", givenName: "Ada" }),
    profile("C2", {
      emailAddress: "zed@example.net",
      phoneNumber: "+14155550100",
      givenName: "Zed",
      groupIds: ["G1"],
    }),
    profile("C3", { emailAddress: "bob@example.org" }),
  ],
);
const config = desired(
  [
    group("vip", { name: "VIP", rules: [email("ada@example.com"), domain("example.org")] }),
    group("new", { name: "New", missing: "create", rules: [email("grace@example.com")] }),
  ],
  { unmanagedGroups: "delete" },
);

describe("renderJson", () => {
  it("masks identities not in the file by default, and drops names", () => {
    const json = renderJson(diff(config, state));
    expect(json).not.toMatch(/zed@|Zed|Ada|bob@|4155550100/);
    expect(json).toContain('"email": "z***@e***.net"');
    expect(json).toContain('"phone": "+1******0100"');
    expect(json).toContain('"email": "ada@example.com"');
    expect(JSON.parse(json)).toMatchObject({ formatVersion: 2, redacted: true });
  });

  it("keeps them with redact: false", () => {
    const json = renderJson(diff(config, state), { redact: false });
    expect(json).toContain('"email": "zed@example.net"');
    expect(JSON.parse(json)).toMatchObject({ redacted: false });
  });

  it("round-trips through parsePlanJson", () => {
    const plan = diff(config, state);
    const text = renderJson(plan, { redact: false });
    const parsed = parsePlanJson(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.plan.actions).toEqual(plan.actions);
      expect(parsed.plan.preconditions).toEqual(plan.preconditions);
      expect(renderJson(parsed.plan, { redact: false })).toBe(text);
    }
  });
});

describe("validatePlan", () => {
  it("checks a plan object already parsed (a plan file's envelope)", () => {
    const plan = diff(config, state);
    expect(validatePlan(JSON.parse(JSON.stringify(plan)))).toEqual({ ok: true, plan });
    expect(validatePlan({ formatVersion: 1 })).toEqual({
      ok: false,
      error: "not a groupsync plan: actions must be an array",
    });
  });
});

describe("parsePlanJson", () => {
  // The saved document, loosely typed so that each case can damage it.
  type Doc = {
    formatVersion: unknown;
    warnings: Array<Record<string, unknown>>;
    errors: Array<Record<string, unknown>>;
    actions: Array<Record<string, unknown>>;
    summary: Record<string, unknown>;
    preconditions: Record<string, unknown>;
  };
  const good = JSON.parse(renderJson(diff(config, state))) as Doc;
  const edit = (change: (doc: Doc) => void): string => {
    const doc = structuredClone(good);
    change(doc);
    return JSON.stringify(doc);
  };

  it.each([
    ["not JSON", "{", "the plan file is not valid JSON"],
    ["an array", "[]", "the document must be an object"],
    [
      "another version",
      edit((d) => (d.formatVersion = 3)),
      "formatVersion 3 is not supported (expected 1 or 2)",
    ],
    [
      "an unknown action",
      edit((d) => Object.assign(d.actions[0] ?? {}, { type: "drop_table" })),
      'actions[0].type "drop_table" is not an action',
    ],
    [
      "a missing field",
      edit((d) => delete d.actions.find((a) => a.type === "remove_member")?.groupId),
      "].groupId must be a non-empty string",
    ],
    [
      "a summary that lies",
      edit((d) => (d.summary.add = 99)),
      "summary.add is not the number of add_member actions",
    ],
    ["actions out of order", edit((d) => d.actions.reverse()), "breaks the apply order"],
    [
      "a dangling reference",
      edit((d) => {
        d.actions = d.actions.filter((a) => a.type !== "create_group");
        d.summary.create = 0;
      }),
      "refers to group.new, which the plan does not create",
    ],
    [
      "broken preconditions",
      edit((d) => (d.preconditions.memberships = [{}])),
      "preconditions.memberships[0].customerId",
    ],
    [
      "preconditions of an older groupsync",
      edit((d) => delete d.preconditions.matches),
      "preconditions lack matches, absentProfiles or country (it was made by an older groupsync)",
    ],
    [
      "a match of an unknown kind",
      edit((d) => (d.preconditions.matches = [{ customerId: "C1", kind: "name", value: "Ada" }])),
      "preconditions.matches[0].kind must be one of email, phone, email_domain, customer_id",
    ],
    [
      "a new customer without email or phone",
      edit((d) => {
        const action = d.actions.find((a) => a.type === "create_customer");
        if (action) action.customer = {};
      }),
      "].customer needs email_address or phone_number",
    ],
    [
      "a reference by id and by address",
      edit((d) => {
        const action = d.actions.find((a) => a.type === "add_member");
        if (action) action.groupRef = { id: "G1", created: "group.new" };
      }),
      "].groupRef needs exactly one of id and created",
    ],
    [
      "an identity without inFile",
      edit((d) => {
        const action = d.actions.find((a) => a.type === "add_member");
        if (action) action.identity = { email: "ada@example.com" };
      }),
      "].identity.inFile must be true or false",
    ],
    ["a negative count", edit((d) => (d.summary.remove = -1)), "summary.remove must be a whole number"],
    [
      "an absent profile without a value",
      edit((d) => (d.preconditions.absentProfiles = [{ kind: "email" }])),
      "preconditions.absentProfiles[0].value must be a non-empty string",
    ],
  ])("refuses %s", (_name, text, message) => {
    const result = parsePlanJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it("reads a formatVersion 1 document as version 2, its warning and error codes renamed", () => {
    const v1 = edit((d) => {
      d.formatVersion = 1;
      d.warnings = [
        { code: "duplicate_profiles", group: "vip", rule: "ada@example.com", message: "two" },
        { code: "rename_case_only", group: "vip", message: "case" },
      ];
      d.errors = [{ code: "pinned_group_not_found", group: "new", message: "gone", hint: "unpin" }];
    });
    const result = parsePlanJson(v1);
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.formatVersion).toBe(2);
    expect(result.plan.warnings).toEqual([
      { code: "GS_CORE_DUPLICATE_PROFILES", group: "vip", rule: "ada@example.com", message: "two" },
      { code: "GS_CORE_RENAME_CASE_ONLY", group: "vip", message: "case" },
    ]);
    expect(result.plan.errors).toEqual([
      { code: "GS_CORE_PINNED_GROUP_NOT_FOUND", group: "new", message: "gone", hint: "unpin" },
    ]);
    expect(result.plan.actions).toEqual(good.actions);
  });
});
