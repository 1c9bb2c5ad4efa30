import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkText } from "../src/check-text.js";
import { parseValid, parseWithPositions } from "../src/parse-config.js";
import { readConfigBytes } from "../src/read-config-bytes.js";
import { readPlainYaml, splitGroups } from "../src/read-plain-yaml.js";

// parseConfig tries `parseValid` (plain data from yaml's tokens, no positions) and falls back to
// `parseWithPositions`. Where the first answers, the second must give the very same result.

const root = readFileSync(new URL("../../../groups.yaml", import.meta.url), "utf8");
const badDir = new URL("../../../test/fixtures/bad/", import.meta.url);
// As the CLI reads them: a file that is not UTF-8 text never reaches the parser.
const bad = readdirSync(badDir).map((name) => {
  const read = readConfigBytes(readFileSync(new URL(name, badDir)), name);
  return [name, read.ok ? read.text : ""] as const;
});

/** `groups` groups of `perGroup` rules of every kind, some with comments, as a person would write them. */
function generate(groups: number, perGroup: number): string {
  const lines = ["# generated", "version: 1", "defaults:", "  country: gb # lower case is fine", "groups:"];
  for (let g = 0; g < groups; g++) {
    lines.push(`  group-${g}:`, `    name: 'Group ${g}'`, `    previously: [Old ${g}, "Older ${g}"]`);
    if (g % 2 === 1) lines.push("    membership: additive", "    id: ABC123");
    lines.push("    members:");
    for (let i = 0; i < perGroup; i++) {
      const n = g * perGroup + i;
      const rules = [
        `      - email: "Person.${n}@Example.com"`,
        `      - phone: "+44 20 7946 ${String(n % 10_000).padStart(4, "0")}"`,
        `      - phone: +4420794${String(n % 100_000).padStart(5, "0")} # unquoted`,
        `      - email_domain: d${n}.example.org`,
        `      - customer_id: C${n}X`,
        `      # a comment between rules`,
      ];
      lines.push(rules[n % rules.length]!);
    }
  }
  return lines.join("\n") + "\n";
}

/** Both paths on a text; the fast one may decline (undefined), never differ. */
function agree(raw: string): { quick: unknown; full: unknown } {
  const checked = checkText(raw, "groups.yaml");
  if (!checked.ok) return { quick: undefined, full: checked };
  const quick = parseValid(checked.text, checked.warnings);
  const full = parseWithPositions(checked.text, "groups.yaml", checked.warnings);
  if (quick !== undefined) expect(quick).toEqual(full);
  // In pieces of one group each, as a large file is read.
  const pieces = parseValid(checked.text, checked.warnings, 1);
  if (pieces !== undefined) expect(pieces).toEqual(full);
  return { quick, full };
}

describe("parseValid and parseWithPositions agree", () => {
  it.each([
    ["the root groups.yaml", root],
    ["a generated file", generate(12, 40)],
    ["CRLF line ends", generate(2, 12).replace(/\n/g, "\r\n")],
    [
      "an unquoted phone number keeps its source text",
      "version: 1\ndefaults:\n  country: GB\ngroups:\n  a:\n    name: A\n    members:\n      - phone: 02079460958\n",
    ],
    [
      "flow lists and empty mappings",
      'version: 1\ndefaults: {}\ngroups:\n  a:\n    name: A\n    previously: [ x , "y" ,z]  # c\n    members: []\n',
    ],
    ["members with nothing after it", "version: 1\ngroups:\n  a:\n    name: A\n    members:\n  # b:\n"],
    [
      "a list at the indentation of its key",
      "version: 1\ngroups:\n  a:\n    name: A\n    members:\n    - email: a@example.com\n",
    ],
  ])("takes %s, with the same result", (_, text) => {
    const { quick } = agree(text);
    expect(quick).toMatchObject({ ok: true });
  });

  it.each([
    [
      "an alias",
      "version: 1\ngroups:\n  a:\n    name: A\n    members: &m\n      - email: a@example.com\n  b:\n    name: B\n    members: *m\n",
    ],
    ["a tag", "version: 1\ngroups:\n  a:\n    name: !!str A\n"],
    ["a block scalar", "version: 1\ngroups:\n  a:\n    name: |\n      A\n"],
    ["a multi-line scalar", "version: 1\ngroups:\n  a:\n    name: A\n      B\n"],
    ["a document start", "---\nversion: 1\ngroups: {}\n"],
    ["a tab", "version: 1\ngroups:\n  a:\n    name:\tA\n"],
    ["an explicit key", "version: 1\n? groups\n: {}\n"],
    ["a number as group key", "version: 1\ngroups:\n  2022:\n    name: A\n"],
    ["a quoted index as group key", "version: 1\ngroups:\n  '7':\n    name: A\n"],
    ["a key on Object.prototype", "version: 1\ngroups:\n  constructor:\n    name: A\n"],
    ["a flow mapping with entries", "version: 1\ngroups: { a: { name: A } }\n"],
    ["a multi-line flow list", "version: 1\ngroups:\n  a:\n    name: A\n    previously: [x,\n      y]\n"],
    ["a compact nested mapping", "version: 1\ngroups: a: b\n"],
    ["a comment without a space", 'version: 1\ngroups:\n  a:\n    name: "A"#x\n'],
    ["a key followed by no colon", "version: 1\ngroups:\n  a:\n    name: A\n    members\n"],
    ["mapping items at two columns", "version: 1\ngroups:\n    a:\n      name: A\n  b:\n    name: B\n"],
    [
      "an item without '-'",
      "version: 1\ngroups:\n  a:\n    name: A\n    members:\n      - email: a@example.com\n      email: b@example.com\n",
    ],
    ["a duplicate key", "version: 1\ngroups:\n  a:\n    name: A\n    name: B\n"],
    ["a bad escape", 'version: 1\ngroups:\n  a:\n    name: "\\q"\n'],
    [
      "a plain value starting with @",
      "version: 1\ngroups:\n  a:\n    name: A\n    members:\n      - email_domain: @example.org\n",
    ],
    ["two documents", "version: 1\ngroups: {}\n---\nversion: 1\n"],
    ["an empty flow item", "version: 1\ngroups:\n  a:\n    name: A\n    previously: [x, , y]\n"],
    ["text after a flow list", "version: 1\ngroups:\n  a:\n    name: A\n    previously: [x] y\n"],
  ])("leaves %s to the positional parse", (_, text) => {
    expect(readPlainYaml(text)).toBeUndefined();
    agree(text);
  });

  it.each(bad)("declines the bad-input fixture %s", (_, text) => {
    expect(agree(text).quick).toBeUndefined();
  });

  // Mutations near valid files: where the fast path still answers, the positional parse agrees.
  const mutate = (base: string) =>
    fc
      .tuple(
        fc.nat({ max: base.length }),
        fc.nat({ max: 12 }),
        fc.oneof(
          fc.string({ maxLength: 8 }),
          fc.constantFrom(
            ":",
            ": ",
            "- ",
            "-",
            "[",
            "]",
            "{",
            "}",
            ",",
            "#",
            " #",
            "'",
            '"',
            "\\",
            "\n",
            "\n  ",
            "  ",
            "@",
            "~",
            "2022",
            "true",
            "null",
            "0x1F",
            ".inf",
            "- email: X@Y.co",
          ),
        ),
      )
      .map(([at, cut, insert]) => base.slice(0, at) + insert + base.slice(at + cut));
  const small = generate(3, 8);
  it.each([
    ["the root groups.yaml", root],
    ["a generated file", small],
  ])("on mutations of %s", (_, base) => {
    let answered = 0;
    fc.assert(
      fc.property(mutate(base), (text) => {
        if (agree(text).quick !== undefined) answered++;
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 300) },
    );
    // Most single edits leave a valid file: the fast path must still be taking them.
    expect(answered).toBeGreaterThan(0);
  });
});

describe("splitGroups", () => {
  const text =
    "version: 1\ngroups:\n  a:\n    name: A\n  # b\n  b:\n    name: B\n    members:\n  - c\n  c: {}\n";

  it("cuts before each entry of a last `groups:` when pieces are small", () => {
    expect(splitGroups(text, 1)).toEqual([
      "version: 1\ngroups:\n",
      "  a:\n    name: A\n  # b\n",
      "  b:\n    name: B\n    members:\n  - c\n",
      "  c: {}\n",
    ]);
    const c = text.indexOf("  c:");
    expect(splitGroups(text, c - 1)).toEqual([text.slice(0, c), text.slice(c)]);
    expect(splitGroups(text, text.length)).toEqual([text]);
  });

  it("does not cut when something follows `groups:` at the top level", () => {
    expect(splitGroups(`${text}unmanaged_groups: delete\n`, 1)).toHaveLength(1);
    expect(splitGroups(text.replace("groups:", "groups: # the groups"), 1)).toHaveLength(4);
    expect(splitGroups(text.replace("groups:", "groups: x"), 1)).toHaveLength(1);
  });

  it("reads the pieces back to the data of the whole", () => {
    const whole =
      "version: 1\ngroups:\n  a:\n    name: A\n    members:\n      - phone: 2079460958\n  b:\n    name: B\n";
    expect(readPlainYaml(whole, 1)).toEqual(readPlainYaml(whole));
    expect(readPlainYaml(whole, 1)?.data).toEqual({
      version: 1,
      groups: { a: { name: "A", members: [{ phone: 2079460958 }] }, b: { name: "B" } },
    });
  });
});
