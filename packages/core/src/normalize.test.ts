import { describe, expect, it } from "vitest";
import { maskEmail, maskPhone } from "./mask.js";
import { createLivePhoneKey, groupNameKey, normalizeEmail, normalizePhone } from "./normalize.js";
import { ruleLabel } from "./rule-label.js";

describe("normalizeEmail", () => {
  it.each([
    [" Ada@Example.COM ", "ada@example.com"],
    ["ada+tag@mail.example.co.uk", "ada+tag@mail.example.co.uk"],
    ["ada@example", undefined],
    ["ada example.com", undefined],
    ["@example.com", undefined],
    ["ada@@example.com", undefined],
    ["", undefined],
    [`${"a".repeat(250)}@x.com`, undefined],
    // Decomposed é (e + U+0301) composes to U+00E9; an ASCII address is left as it is.
    [" Jose\u0301@Example.com", "jos\u00e9@example.com"],
    ["Jos\u00c9@example.com", "jos\u00e9@example.com"],
  ])("%j -> %j", (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });
});

describe("normalizePhone", () => {
  it.each([
    ["+1 415-555-0100", "US", "+14155550100"],
    ["(415) 555-0100", "US", "+14155550100"],
    ["415.555.0100", "us", "+14155550100"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["+44 20 7946 0958", "US", "+442079460958"],
    ["+1 555", "US", undefined],
    ["not a phone", "US", undefined],
    ["(415) 555-0100", "XX", undefined],
    ["+1 415 555 0100", "XX", "+14155550100"],
  ])("%j (%s) -> %j", (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });
});

describe("groupNameKey", () => {
  it("compares names NFC, trimmed, whitespace-collapsed and case-insensitively", () => {
    expect(groupNameKey("  Caf\u00e9 \t Crowd ")).toBe(groupNameKey("cafe\u0301 crowd"));
    expect(groupNameKey("VIP")).not.toBe(groupNameKey("VIPs"));
  });
});

describe("masking", () => {
  it.each([
    ["ada@example.com", "a***@e***.com"],
    ["Bob.Smith@mail.example.co.uk", "B***@m***.uk"],
    ["no-at-sign", "n***"],
  ])("maskEmail(%j) = %j", (raw, masked) => {
    expect(maskEmail(raw)).toBe(masked);
  });

  it.each([
    ["+14155550100", "+1******0100"],
    ["+442079460958", "+4*******0958"],
    ["(415) 555-0100", "4*****0100"],
    ["+1 55", "+***"],
  ])("maskPhone(%j) = %j", (raw, masked) => {
    expect(maskPhone(raw)).toBe(masked);
  });
});

describe("ruleLabel", () => {
  it.each([
    [{ kind: "email", value: "ada@example.com" }, "ada@example.com"],
    [{ kind: "phone", value: "+14155550100" }, "+14155550100"],
    [{ kind: "email_domain", value: "example.org" }, "@example.org"],
    [{ kind: "customer_id", value: "XYZ" }, "id:XYZ"],
  ] as const)("%j -> %s", (rule, label) => {
    expect(ruleLabel(rule)).toBe(label);
  });
});

describe("createLivePhoneKey", () => {
  it.each([
    ["+1 (415) 555-0100", "+14155550100"],
    ["(415) 555-0100", "+14155550100"],
    ["415 555 0100 ext. 7", "+14155550100"],
    ["(415) 555-0199", undefined],
    ["1 (415) 555-0100", "+14155550100"],
  ])("%j -> %j (wanted: +14155550100)", (raw, key) => {
    expect(createLivePhoneKey("US", new Set(["+14155550100"]))(raw)).toBe(key);
  });

  it("parses national numbers with a trunk prefix (GB 020 -> +44 20)", () => {
    expect(createLivePhoneKey("GB", new Set(["+442079460958"]))("020 7946 0958")).toBe("+442079460958");
  });
});
