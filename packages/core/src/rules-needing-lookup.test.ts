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
import { diff } from "./diff.js";
import { candidateProfileIds, rulesNeedingLookup } from "./rules-needing-lookup.js";

describe("rulesNeedingLookup (DESIGN.md §7)", () => {
  const members = [
    profile("C1", { emailAddress: "Ada@Example.com", groupIds: ["G1"] }),
    profile("C2", { phoneNumber: "(415) 555-0100", groupIds: ["G1"] }),
    profile("C3", { groupIds: ["G1"] }),
  ];

  it("with no drift, match one email/phone/id rules need no look-up", () => {
    const entry = group("vip", {
      name: "VIP",
      rules: [email("ada@example.com"), phone("+14155550100"), customerId("C3")],
    });
    expect(rulesNeedingLookup(desired([entry]), live([liveGroup("G1", "VIP")], members))).toEqual([]);
  });

  it.each([
    { name: "an email no member has", rule: email("bob@example.com"), match: "one" as const, needed: true },
    { name: "a phone no member has", rule: phone("+14155550199"), match: "one" as const, needed: true },
    { name: "an ID no member has", rule: customerId("C9"), match: "one" as const, needed: true },
    { name: "email_domain, always", rule: domain("example.com"), match: "one" as const, needed: true },
    { name: "match all, always", rule: email("ada@example.com"), match: "all" as const, needed: true },
    { name: "a satisfied email", rule: email("ada@example.com"), match: "one" as const, needed: false },
  ])("$name", ({ rule, match, needed }) => {
    const entry = group("vip", { name: "VIP", match, rules: [rule] });
    const result = rulesNeedingLookup(desired([entry]), live([liveGroup("G1", "VIP")], members));
    expect(result).toEqual(needed ? [{ group: "vip", rule }] : []);
  });

  it("every rule of a group to be created, or that cannot be matched, needs a look-up", () => {
    const entries = [
      group("new", { rules: [email("ada@example.com")] }),
      group("pinned", { id: "NOPE", rules: [customerId("C1")] }),
    ];
    expect(rulesNeedingLookup(desired(entries), live([liveGroup("G1", "VIP")], members))).toEqual([
      { group: "new", rule: email("ada@example.com") },
      { group: "pinned", rule: customerId("C1") },
    ]);
  });
});

describe("candidateProfileIds", () => {
  it("lists existing profiles added or removed, sorted, once", () => {
    const state = live(
      [liveGroup("G1", "a"), liveGroup("G2", "b")],
      [profile("C2", { emailAddress: "x@y.com" }), profile("C1", { groupIds: ["G1", "G2"] })],
    );
    const entries = [
      group("a", { rules: [email("x@y.com")] }),
      group("b", { rules: [email("x@y.com"), email("new@y.com")], missing: "create" }),
    ];
    expect(candidateProfileIds(diff(desired(entries), state))).toEqual(["C1", "C2"]);
  });
});
