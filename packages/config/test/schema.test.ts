import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { groupsSchema } from "../src/index.js";
import { validateSchema } from "../src/schema.js";

const file = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("groups.schema.json", () => {
  it("is what groupsSchema exports, and the package exports the file for editors", () => {
    expect(groupsSchema).toEqual(JSON.parse(file("../groups.schema.json")));
    const pkg = JSON.parse(file("../package.json")) as { exports: Record<string, unknown>; files: string[] };
    expect(pkg.exports["./groups.schema.json"]).toBe("./groups.schema.json");
    expect(pkg.files).toContain("groups.schema.json");
  });

  it("is a valid draft-07 schema that accepts the root groups.yaml", () => {
    // The parser compiles the schema without checking it against the meta-schema: this is that check.
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true });
    expect(ajv.validateSchema(groupsSchema)).toBe(true);
    const validate = ajv.compile(groupsSchema);
    expect(validate(parse(file("../../../groups.yaml")))).toBe(true);
  });

  it("describes every key, so editors show help on hover", () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== "object") return;
      const schema = node as Record<string, unknown>;
      for (const [key, value] of Object.entries((schema["properties"] as object | undefined) ?? {})) {
        const v = value as Record<string, unknown>;
        if (!v["description"] && !v["$ref"]) missing.push(`${path}.${key}`);
        walk(value, `${path}.${key}`);
      }
      for (const [key, value] of Object.entries((schema["definitions"] as object | undefined) ?? {})) {
        walk(value, `#${key}`);
      }
      walk(schema["additionalProperties"], `${path}.*`);
      walk(schema["items"], `${path}[]`);
    };
    walk(groupsSchema, "");
    expect(missing).toEqual([]);
  });

  it.each([
    ["the root groups.yaml", parse(file("../../../groups.yaml"))],
    ["no groups", { version: 1 }],
    ["an unknown key", { version: 1, groups: {}, extra: 1 }],
    ["a bad group key", { version: 1, groups: { "Bad Key": { name: "x" } } }],
    [
      "a rule of two kinds",
      { version: 1, groups: { a: { name: "A", members: [{ email: "a", phone: 1 }] } } },
    ],
    ["a number as name", { version: 1, groups: { a: { name: 2022 } } }],
    ["a blank name", { version: 1, groups: { a: { name: "  " } } }],
    ["an unquoted phone", { version: 1, groups: { a: { name: "A", members: [{ phone: 4155550100 }] } } }],
  ])("the generated validator gives ajv's errors on %s", (_, data) => {
    const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
    const compiled = ajv.compile(groupsSchema);
    expect(validateSchema(data)).toEqual(compiled(data) ? [] : compiled.errors);
  });
});
