import { describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { DEFAULT_FIELDS, fieldText, parseFields, selectFields } from "./fields.js";

const ada = {
  id: "C1",
  given_name: "Ada",
  email_address: "ada@example.com",
  phone_number: "+14155550100",
  group_ids: ["G1", "G2"],
  version: 3,
};

describe("parseFields", () => {
  it("defaults to the fields of issue 7", () => {
    expect(parseFields(undefined)).toEqual(DEFAULT_FIELDS);
  });
  it("accepts spaces and case, drops duplicates", () => {
    expect(parseFields(" id, Email_Address ,id")).toEqual(["id", "email_address"]);
  });
  it.each(["", " , ", "id,nope", "password"])("refuses %j with the known fields", (raw) => {
    expect(() => parseFields(raw)).toThrow(CliError);
  });
  it("names the unknown field and lists the known ones", () => {
    expect(() => parseFields("id,nope")).toThrow(/"nope".*Fields: id, given_name/);
  });
});

describe("selectFields", () => {
  it("keeps values, null for absent ones, the group ID array", () => {
    expect(selectFields(ada, ["id", "family_name", "group_ids", "version"], false)).toEqual([
      "C1",
      null,
      ["G1", "G2"],
      3,
    ]);
  });
  it("masks emails and phones as plans do, and names, with --redact", () => {
    expect(selectFields(ada, ["given_name", "email_address", "phone_number"], true)).toEqual([
      "A***",
      "a***@e***.com",
      "+1******0100",
    ]);
  });
  it("writes cells: empty for absent, group IDs joined by ;", () => {
    expect(selectFields(ada, ["family_name", "group_ids", "version"], false).map(fieldText)).toEqual([
      "",
      "G1;G2",
      "3",
    ]);
  });
});
