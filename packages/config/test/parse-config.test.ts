import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/index.js";
import { desiredOf, problemsOf, yaml } from "./helpers.js";

const group = (members: string, extra = "") => yaml`
  version: 1
  groups:
    vip:
      name: VIP${extra}
      members:
${members}
`;

describe("parseConfig: the desired state", () => {
  it("applies defaults, overrides per group, keeps file order", () => {
    const text = yaml`
      version: 1
      defaults:
        country: gb
        membership: additive
        missing: error
      unmanaged_groups: delete
      groups:
        zeta:
          name: "  Zeta  "
          previously: [" Old Zeta "]
          id: GRP1
          match: all
        alpha:
          name: Alpha
          membership: authoritative
          members:
    `;
    expect(desiredOf(text)).toEqual({
      country: "GB",
      unmanagedGroups: "delete",
      groups: [
        {
          key: "zeta",
          // As written: a live group of that exact name is not renamed (import writes it so).
          name: "  Zeta  ",
          previously: [" Old Zeta "],
          id: "GRP1",
          membership: "additive",
          match: "all",
          missing: "error",
          rules: [],
        },
        {
          key: "alpha",
          name: "Alpha",
          previously: [],
          membership: "authoritative",
          match: "one",
          missing: "error",
          rules: [],
        },
      ],
    });
  });

  it("uses the documented defaults when nothing is set", () => {
    expect(desiredOf("version: 1\ngroups:\n  vip:\n    name: VIP\n")).toEqual({
      country: "US",
      unmanagedGroups: "ignore",
      groups: [
        {
          key: "vip",
          name: "VIP",
          previously: [],
          membership: "authoritative",
          match: "one",
          missing: "skip",
          rules: [],
        },
      ],
    });
  });

  it.each([
    ["email", "  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com"],
    ["email", "o'brien+vip@sub.example.co.uk", "o'brien+vip@sub.example.co.uk"],
    ["email", "zoë@bücher.example", "zoë@bücher.example"],
    ["email", "zoe\u0308@example.com", "zo\u00eb@example.com"],
    ["phone", "+1 415-555-0100", "+14155550100"],
    ["phone", "(415) 555-0101", "+14155550101"],
    ["phone", "415.555.0102", "+14155550102"],
    ["phone", "+44 20 7946 0958", "+442079460958"],
    ["email_domain", " Example.ORG ", "example.org"],
    ["customer_id", "JDKYHBWT1D4F8MFH63DBMEN8Y4", "JDKYHBWT1D4F8MFH63DBMEN8Y4"],
  ])("normalizes %s %j to %j", (kind, raw, value) => {
    const desired = desiredOf(group(`        - ${kind}: ${JSON.stringify(raw)}`));
    expect(desired.groups[0]?.rules).toEqual([{ kind, value }]);
  });

  it("reads unquoted phone numbers from their source text (YAML would drop the + or a leading 0)", () => {
    const text = yaml`
      version: 1
      defaults:
        country: GB
      groups:
        vip:
          name: VIP
          members:
            - phone: +14155550100
            - phone: 02079460958
    `;
    expect(desiredOf(text).groups[0]?.rules).toEqual([
      { kind: "phone", value: "+14155550100" },
      { kind: "phone", value: "+442079460958" },
    ]);
  });

  it("reads phones without + in defaults.country", () => {
    const text = yaml`
      version: 1
      defaults: {country: DE}
      groups:
        vip:
          name: VIP
          members:
            - phone: "030 901820"
    `;
    expect(desiredOf(text).groups[0]?.rules).toEqual([{ kind: "phone", value: "+4930901820" }]);
  });

  it.each([
    ["ada.example.com", "1"],
    ["ada@@example.com", "1"],
    ["ada lovelace@example.com", "1"],
    ["ada@localhost", "1"],
    ["ada.@example.com", "1"],
    ["ada@example..com", "1"],
    ["ada@-example.com", "1"],
  ])("rejects the email %j with its position", (raw) => {
    expect(problemsOf(group(`        - email: ${JSON.stringify(raw)}`))).toEqual([
      `6:16 GS_CONFIG_INVALID_EMAIL: groups.vip.members[0].email: '${raw}' is not a valid email address`,
    ]);
  });

  it("rejects invalid phones, saying which country a number without + was read in", () => {
    const text = group(`        - phone: "+1 555"\n        - phone: "555-01"\n        - phone: call me`);
    expect(problemsOf(text)).toEqual([
      "6:16 GS_CONFIG_INVALID_PHONE: groups.vip.members[0].phone: '+1 555' is not a valid phone number",
      "7:16 GS_CONFIG_INVALID_PHONE: groups.vip.members[1].phone: '555-01' is not a valid phone number (read as a US number; write other countries with their +country code)",
      "8:16 GS_CONFIG_INVALID_PHONE: groups.vip.members[2].phone: 'call me' is not a valid phone number (read as a US number; write other countries with their +country code)",
    ]);
  });

  it("rejects invalid email domains", () => {
    const text = group(
      `        - email_domain: "@example.org"\n        - email_domain: ada@example.org\n        - email_domain: not a domain`,
    );
    expect(problemsOf(text)).toEqual([
      "6:23 GS_CONFIG_INVALID_EMAIL_DOMAIN: groups.vip.members[0].email_domain: write the domain without '@': email_domain: example.org",
      "7:23 GS_CONFIG_INVALID_EMAIL_DOMAIN: groups.vip.members[1].email_domain: 'ada@example.org' is not a domain name such as example.org (for one address, use 'email:')",
      "8:23 GS_CONFIG_INVALID_EMAIL_DOMAIN: groups.vip.members[2].email_domain: 'not a domain' is not a domain name such as example.org",
    ]);
  });
});

describe("parseConfig: duplicates", () => {
  it("a rule repeated in one group, compared after normalization", () => {
    const text = group(
      [
        "        - email: ada@example.com",
        "        - phone: +1 415-555-0100",
        "        - email: ' ADA@example.com'",
        "        - phone: (415) 555-0100",
        "        - customer_id: ABC",
        "        - customer_id: ABC",
      ].join("\n"),
    );
    expect(problemsOf(text)).toEqual([
      "8:16 GS_CONFIG_DUPLICATE_RULE: groups.vip.members[2].email: email ada@example.com is already listed at members[0] (line 6); list each rule once per group",
      "9:16 GS_CONFIG_DUPLICATE_RULE: groups.vip.members[3].phone: phone +14155550100 is already listed at members[1] (line 7); list each rule once per group",
      "11:22 GS_CONFIG_DUPLICATE_RULE: groups.vip.members[5].customer_id: customer_id ABC is already listed at members[4] (line 10); list each rule once per group",
    ]);
  });

  it("the same rule in two groups is fine", () => {
    const text = yaml`
      version: 1
      groups:
        a: {name: A, members: [{email: ada@example.com}]}
        b: {name: B, members: [{email: ada@example.com}]}
    `;
    expect(desiredOf(text).groups.map((g) => g.rules.length)).toEqual([1, 1]);
  });

  it("group names compared NFC, trimmed, spacing- and case-insensitive, including previously", () => {
    const text = yaml`
      version: 1
      groups:
        a:
          name: Café  Regulars
        b:
          name: " CAFE\u0301 regulars"
        c:
          name: Gold
          previously: [café regulars]
        d:
          name: Silver
          previously: [silver]
    `;
    expect(problemsOf(text)).toEqual([
      "6:11 GS_CONFIG_DUPLICATE_GROUP_NAME: groups.b.name: 'CAFE\u0301 regulars' is already used by groups.a.name (line 4); group names must be unique (compared ignoring case and spacing)",
      "9:18 GS_CONFIG_DUPLICATE_GROUP_NAME: groups.c.previously[0]: 'café regulars' is already used by groups.a.name (line 4); group names must be unique (compared ignoring case and spacing)",
    ]);
  });

  it("duplicate group keys are YAML duplicate keys", () => {
    const text = "version: 1\ngroups:\n  vip:\n    name: A\n  vip:\n    name: B\n";
    expect(problemsOf(text)).toEqual([
      "5:3 GS_CONFIG_DUPLICATE_KEY: groups: key 'vip' appears twice (first on line 3)",
    ]);
  });
});

describe("the root groups.yaml example", () => {
  const text = readFileSync(new URL("../../../groups.yaml", import.meta.url), "utf8");

  it("points editors at the shipped schema", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./packages/config/groups.schema.json");
  });

  it("is valid and has the Summer Conference 2022 scenario", () => {
    const result = parseConfig(text);
    expect(result.ok && result.warnings).toEqual([]);
    const desired = desiredOf(text);
    const summer = desired.groups.find((g) => g.key === "summer-conf-2022");
    expect(summer).toMatchObject({ name: "Summer Conference 2022", previously: ["Summer Conf 22"] });
    expect(summer?.rules.map((r) => r.kind)).toEqual(
      expect.arrayContaining(["email", "phone", "email_domain"]),
    );
    expect(desired.groups.length).toBeGreaterThanOrEqual(3);
  });
});

describe("parseConfig: many problems", () => {
  it("maps thousands of schema errors to positions quickly", () => {
    const members = Array.from({ length: 5000 }, (_, i) => `      - mail: p${i}@example.com`).join("\n");
    const text = `version: 1\ngroups:\n  vip:\n    name: VIP\n    members:\n${members}\n`;
    const started = performance.now();
    const problems = problemsOf(text);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(problems).toHaveLength(5000);
    expect(problems[4999]).toBe(
      "5005:9 GS_CONFIG_UNKNOWN_KEY: groups.vip.members[4999]: unknown key 'mail' (did you mean 'email'?)",
    );
  });

  it("reads CRLF files with the same positions", () => {
    const text =
      "version: 1\r\ngroups:\r\n  vip:\r\n    name: VIP\r\n    members:\r\n      - email: nope\r\n";
    expect(problemsOf(text)).toEqual([
      "6:16 GS_CONFIG_INVALID_EMAIL: groups.vip.members[0].email: 'nope' is not a valid email address",
    ]);
  });
});
