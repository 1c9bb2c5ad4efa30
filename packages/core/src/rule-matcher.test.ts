import { describe, expect, it } from "vitest";
import { createRuleMatcher, type ProfileContact } from "./rule-matcher.js";
import type { Rule } from "./types.js";

const ada: ProfileContact = { id: "C1", emailAddress: " Ada@Example.COM ", phoneNumber: "(415) 555-0100" };

describe("createRuleMatcher", () => {
  const matches = createRuleMatcher("US");
  it.each<[string, ProfileContact, Rule, boolean]>([
    ["an email, trimmed and in any case", ada, { kind: "email", value: "ada@example.com" }, true],
    ["another email", ada, { kind: "email", value: "bob@example.com" }, false],
    ["no email at all", { id: "C2" }, { kind: "email", value: "ada@example.com" }, false],
    ["the email's domain", ada, { kind: "email_domain", value: "example.com" }, true],
    ["another domain", ada, { kind: "email_domain", value: "example.org" }, false],
    ["a national phone, read in the plan's country", ada, { kind: "phone", value: "+14155550100" }, true],
    ["another phone", ada, { kind: "phone", value: "+14155550199" }, false],
    ["no phone at all", { id: "C2" }, { kind: "phone", value: "+14155550100" }, false],
    ["its ID", ada, { kind: "customer_id", value: "C1" }, true],
    ["another ID", ada, { kind: "customer_id", value: "C9" }, false],
  ])("%s", (_name, profile, rule, expected) => {
    expect(matches(profile, rule)).toBe(expected);
  });

  it("reads a number without + in the plan's country", () => {
    const uk = createRuleMatcher("GB");
    expect(uk({ id: "C1", phoneNumber: "020 7946 0018" }, { kind: "phone", value: "+442079460018" })).toBe(
      true,
    );
    expect(
      matches({ id: "C1", phoneNumber: "020 7946 0018" }, { kind: "phone", value: "+442079460018" }),
    ).toBe(false);
  });
});
