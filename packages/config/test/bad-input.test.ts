import { describe, expect, it } from "vitest";
import { MAX_CONFIG_BYTES, formatProblems, parseConfig, readConfigBytes } from "../src/index.js";
import { problemsOf, yaml } from "./helpers.js";

// Issue 2: every class of bad input gets a clear message at the right line and column.
describe("bad input", () => {
  it("malformed YAML: an unclosed quote", () => {
    expect(problemsOf('version: 1\ngroups:\n  vip:\n    name: "VIP\n')).toEqual([
      '5:1 GS_CONFIG_YAML_SYNTAX: YAML syntax error: missing closing "quote',
    ]);
  });

  it("malformed YAML: tabs for indentation", () => {
    expect(problemsOf("version: 1\ngroups:\n\tvip: {}\n")).toEqual([
      "3:1 GS_CONFIG_YAML_SYNTAX: YAML syntax error: tabs cannot indent YAML; use spaces",
    ]);
  });

  it("malformed YAML: two documents", () => {
    expect(problemsOf("version: 1\ngroups: {}\n---\nversion: 1\n")).toEqual([
      "3:1 GS_CONFIG_MULTIPLE_DOCUMENTS: the file holds more than one YAML document ('---'); it must be a single document",
    ]);
  });

  it("duplicate keys, with the line of the first", () => {
    const text = yaml`
      version: 1
      groups:
        vip:
          name: VIP
          name: Gold
    `;
    expect(problemsOf(text)).toEqual([
      "5:5 GS_CONFIG_DUPLICATE_KEY: groups.vip: key 'name' appears twice (first on line 4)",
    ]);
  });

  it("wrong types", () => {
    const text = yaml`
      version: 1
      groups:
        vip:
          name: 2022
          previously: Old VIP
          members:
            email: ada@example.com
    `;
    expect(problemsOf(text)).toEqual([
      '4:11 GS_CONFIG_WRONG_TYPE: groups.vip.name must be text, but it is the number 2022 (put it in quotes: "2022")',
      "5:17 GS_CONFIG_WRONG_TYPE: groups.vip.previously must be a list, but it is text 'Old VIP' (write it as a list: [Old VIP])",
      "7:7 GS_CONFIG_WRONG_TYPE: groups.vip.members must be a list, but it is a mapping (key: value pairs)",
    ]);
  });

  it("a member written as a bare value", () => {
    const text = yaml`
      version: 1
      groups:
        vip:
          name: VIP
          members:
            - ada@example.com
    `;
    expect(problemsOf(text)).toEqual([
      "6:9 GS_CONFIG_WRONG_TYPE: groups.vip.members[0] must be a mapping (key: value pairs), but it is text 'ada@example.com' (write each member as a rule, e.g. '- email: ada@example.com')",
    ]);
  });

  it("a top level that is not a mapping", () => {
    expect(problemsOf("- version: 1\n")).toEqual([
      "1:1 GS_CONFIG_WRONG_TYPE: the file must be a mapping (key: value pairs), but it is a list",
    ]);
  });

  it.each([
    ["nothing", ""],
    ["whitespace", "  \n\n"],
    ["only comments", "# to do\n"],
  ])("an empty file (%s)", (_, text) => {
    expect(problemsOf(text)).toEqual([
      "1:1 GS_CONFIG_EMPTY_FILE: the file is empty; it needs 'version: 1' and a 'groups:' mapping",
    ]);
  });

  it("a file over MAX_CONFIG_BYTES, before parsing", () => {
    const line = "      - email: someone@example.com\n";
    const text = "version: 1\ngroups: [" + line.repeat(Math.ceil(MAX_CONFIG_BYTES / line.length));
    expect(problemsOf(text)).toEqual([
      "1:1 GS_CONFIG_FILE_TOO_LARGE: the file is too large (more than 16 MiB); the limit is 16 MiB",
    ]);
  });

  it("a file over the limit only in UTF-8 bytes", () => {
    const text = "# " + "é".repeat(MAX_CONFIG_BYTES / 2) + "\n";
    expect(problemsOf(text)).toEqual([
      "1:1 GS_CONFIG_FILE_TOO_LARGE: the file is too large (16 MiB); the limit is 16 MiB",
    ]);
  });

  it("readConfigBytes refuses more than MAX_CONFIG_BYTES without decoding", () => {
    const result = readConfigBytes(new Uint8Array(50 * 1024 * 1024), "big.yaml");
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          code: "GS_CONFIG_FILE_TOO_LARGE",
          message: "the file is too large (50 MiB); the limit is 16 MiB",
          file: "big.yaml",
          line: 1,
          col: 1,
        },
      ],
    });
  });

  it("an alias bomb (billion laughs)", () => {
    const text = yaml`
      version: 1
      a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
      d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
      e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
      groups: {}
    `;
    const started = performance.now();
    expect(problemsOf(text)).toEqual([
      "3:8 GS_CONFIG_ALIAS_LIMIT: the file expands aliases (*name) too many times (limit 100), like an alias bomb; write the values out instead",
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("an alias to no anchor", () => {
    const text = "version: 1\ngroups:\n  vip:\n    name: VIP\n    members:\n      - *nobody\n";
    expect(problemsOf(text)).toEqual([
      "6:9 GS_CONFIG_YAML_SYNTAX: alias '*nobody' refers to no anchor: define '&nobody' before using it",
    ]);
  });

  it("an alias used a few times is fine", () => {
    const text = yaml`
      version: 1
      groups:
        vip:
          name: VIP
          members: &staff
            - email: ada@example.com
        gold:
          name: Gold
          members: *staff
    `;
    expect(parseConfig(text).ok).toBe(true);
  });

  it("unknown keys, with a suggestion when one is close", () => {
    const text = yaml`
      version: 1
      defaults:
        countrycode: US
      groups:
        vip:
          name: VIP
          member:
            - emial: ada@example.com
          colour: blue
    `;
    expect(problemsOf(text)).toEqual([
      "3:3 GS_CONFIG_UNKNOWN_KEY: defaults: unknown key 'countrycode' (did you mean 'country'?)",
      "7:5 GS_CONFIG_UNKNOWN_KEY: groups.vip: unknown key 'member' (did you mean 'members'?)",
      "9:5 GS_CONFIG_UNKNOWN_KEY: groups.vip: unknown key 'colour'; allowed keys: name, previously, id, membership, match, missing, max_removals, members_file, members",
    ]);
  });

  it("unknown top-level key and missing groups", () => {
    expect(problemsOf("version: 1\ngroup: {}\n")).toEqual([
      "1:1 GS_CONFIG_MISSING_KEY: the file has no 'groups:' key; list the groups under it (or 'groups: {}' for none)",
      "2:1 GS_CONFIG_UNKNOWN_KEY: the top level: unknown key 'group' (did you mean 'groups'?)",
    ]);
  });

  it("missing version and missing name", () => {
    expect(problemsOf("groups:\n  vip:\n    members: []\n")).toEqual([
      "1:1 GS_CONFIG_MISSING_KEY: the file has no 'version'; add 'version: 1' at the top",
      "2:3 GS_CONFIG_MISSING_KEY: groups.vip: missing 'name' (the group's name in Square)",
    ]);
  });

  it.each([
    ["2", "version 2 is not supported"],
    ['"1"', "version '1' is not supported"],
  ])("an unknown version (%s), and nothing else", (version, start) => {
    const text = `version: ${version}\ngroups:\n  VIP: {}\n`;
    expect(problemsOf(text)).toEqual([
      `1:10 GS_CONFIG_UNKNOWN_VERSION: ${start}; this groupsync reads version 1 only (supported versions: 1)`,
    ]);
  });

  it("values outside the allowed set", () => {
    const text = yaml`
      version: 1
      unmanaged_groups: remove
      defaults:
        country: USA
      groups:
        vip:
          name: VIP
          membership: exclusive
    `;
    expect(problemsOf(text)).toEqual([
      "2:19 GS_CONFIG_INVALID_VALUE: unmanaged_groups: 'remove' is not allowed; use one of: ignore, delete",
      "4:12 GS_CONFIG_INVALID_COUNTRY: defaults.country: 'USA' is not a two-letter country code such as US or GB",
      "8:17 GS_CONFIG_INVALID_VALUE: groups.vip.membership: 'exclusive' is not allowed; use one of: authoritative, additive",
    ]);
  });

  it("a country libphonenumber does not know", () => {
    expect(problemsOf("version: 1\ndefaults:\n  country: XX\ngroups: {}\n")).toEqual([
      "3:12 GS_CONFIG_INVALID_COUNTRY: defaults.country: 'XX' is not a country code libphonenumber knows (e.g. US, GB, DE)",
    ]);
  });

  it("member rules with no key or two", () => {
    const text = yaml`
      version: 1
      groups:
        vip:
          name: VIP
          members:
            - {}
            - {email: ada@example.com, phone: "+1 415-555-0100"}
    `;
    expect(problemsOf(text)).toEqual([
      "6:9 GS_CONFIG_INVALID_RULE: groups.vip.members[0]: empty member rule; write one of 'email:', 'phone:', 'email_domain:', 'customer_id:'",
      "7:9 GS_CONFIG_INVALID_RULE: groups.vip.members[1]: a member rule has exactly one key, this one has 2 (email, phone); put each on its own '- ' line",
    ]);
  });

  it("group keys outside [a-z0-9][a-z0-9_-]*", () => {
    const text =
      'version: 1\ngroups:\n  "Summer Conf":\n    name: A\n  -vip:\n    name: B\n  ok_1-x:\n    name: C\n  Café:\n    name: D\n';
    expect(problemsOf(text)).toEqual([
      "3:3 GS_CONFIG_INVALID_GROUP_KEY: groups: group key 'Summer Conf' may only use lowercase letters, digits, '-' and '_', and must start with a letter or digit (e.g. 'summer-conf')",
      "5:3 GS_CONFIG_INVALID_GROUP_KEY: groups: group key '-vip' may only use lowercase letters, digits, '-' and '_', and must start with a letter or digit (e.g. 'vip')",
      "9:3 GS_CONFIG_INVALID_GROUP_KEY: groups: group key 'Café' may only use lowercase letters, digits, '-' and '_', and must start with a letter or digit (e.g. 'cafe')",
    ]);
  });

  it("an unknown YAML tag", () => {
    const text = "version: 1\ngroups:\n  vip:\n    name: !secret VIP\n";
    expect(problemsOf(text)).toEqual([
      "4:11 GS_CONFIG_YAML_SYNTAX: YAML tags such as '!secret' have no meaning in groupsync's file; remove it",
    ]);
  });

  it("NUL bytes and other binary content", () => {
    expect(problemsOf("version: 1\ngroups:\n  vip:\n    name: V\u0000IP\n")).toEqual([
      "4:12 GS_CONFIG_BINARY_CONTENT: the file contains a NUL byte (0x00); it must be plain UTF-8 text (is this a binary file?)",
    ]);
    expect(problemsOf("\u001f\u008b\u0008\u0000")).toEqual([
      "1:1 GS_CONFIG_BINARY_CONTENT: the file contains a control character (0x1F); it must be plain UTF-8 text (is this a binary file?)",
    ]);
  });

  it("a UTF-8 BOM is ignored with a warning, and positions stay as an editor shows them", () => {
    const result = parseConfig("\uFEFFversion: 1\ngroups: {}\n");
    expect(result).toMatchObject({
      ok: true,
      warnings: [
        {
          code: "GS_CONFIG_BOM",
          line: 1,
          col: 1,
          message:
            "the file starts with a byte-order mark (BOM); it is ignored, and `groupsync fmt` removes it",
        },
      ],
    });
    expect(problemsOf("\uFEFFversion: 3\ngroups: {}\n")[0]).toMatch(/^1:10 GS_CONFIG_UNKNOWN_VERSION/);
  });

  it("invalid UTF-8, with the position of the first bad byte", () => {
    const bytes = new TextEncoder().encode("version: 1\ngroups:\n  vip:\n    name: Caf\u00e9 X\n");
    const latin1 = Uint8Array.from([...bytes.subarray(0, 39), 0xe9, ...bytes.subarray(41)]);
    expect(readConfigBytes(latin1, "g.yaml")).toEqual({
      ok: false,
      problems: [
        {
          code: "GS_CONFIG_INVALID_UTF8",
          message: "the file is not valid UTF-8 (byte 0xE9 at offset 39); save it as UTF-8",
          file: "g.yaml",
          line: 4,
          col: 14,
          length: 1,
        },
      ],
    });
  });

  it.each([
    ["a truncated sequence", [0x61, 0xe2, 0x82], 1],
    ["an overlong encoding", [0x61, 0x62, 0xc0, 0xaf], 2],
    ["a surrogate", [0xed, 0xa0, 0x80], 0],
    ["beyond U+10FFFF", [0x61, 0xf4, 0x90, 0x80, 0x80], 1],
  ])("invalid UTF-8: %s", (_, bytes, offset) => {
    const result = readConfigBytes(Uint8Array.from(bytes));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: "GS_CONFIG_INVALID_UTF8",
      line: 1,
      col: offset + 1,
    });
  });

  it("UTF-16 files by their BOM", () => {
    const result = readConfigBytes(Uint8Array.from([0xff, 0xfe, 0x76, 0x00]));
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: "GS_CONFIG_UTF16",
      message: "the file is encoded as UTF-16; save it as UTF-8",
      line: 1,
      col: 1,
    });
  });

  it("valid UTF-8 decodes, a BOM kept for parseConfig to report", () => {
    const bytes = new TextEncoder().encode("\uFEFFversion: 1 # café ✓ 🎉\ngroups: {}\n");
    const result = readConfigBytes(bytes);
    expect(result).toEqual({ ok: true, text: "\uFEFFversion: 1 # café ✓ 🎉\ngroups: {}\n" });
  });

  it("formats every problem of a broken file without a stack trace", () => {
    const text = "version: 1\ngroups:\n  vip:\n    name: VIP\n    members:\n      - phone: '+1 555'\n";
    const result = parseConfig(text, { file: "conf/groups.yaml" });
    expect(result.ok).toBe(false);
    expect(!result.ok && formatProblems(result.problems, text)).toBe(
      [
        "conf/groups.yaml:6:16: groups.vip.members[0].phone: '+1 555' is not a valid phone number",
        "    6 |       - phone: '+1 555'",
        "      |                ^~~~~~~~",
      ].join("\n"),
    );
  });
});

describe("nesting deeper than any groups.yaml needs", () => {
  it.each([
    ["flow lists", "[".repeat(100_000), "1:65"],
    ["flow mappings", "{a: ".repeat(20_000), "1:257"],
    [
      "block lists",
      "groups:\n" + Array.from({ length: 3000 }, (_, i) => " ".repeat(i + 1) + "- x:").join("\n"),
      "128:128",
    ],
    ["compact lists", "- ".repeat(50_000) + "x", "1:129"],
    // The plain reader's layout, 3,000 deep: it stops at its own limit and leaves the file to the scan.
    [
      "block mappings",
      "groups:\n" + Array.from({ length: 3000 }, (_, i) => " ".repeat(2 * i + 2) + "k:").join("\n"),
      "66:129",
    ],
    [
      "lists at their keys' column",
      "groups:\n" + Array.from({ length: 3000 }, (_, i) => " ".repeat(2 * i + 2) + "- k:").join("\n"),
      "65:129",
    ],
    ["after a stray quote in a plain scalar", "version: 1\nname: it's\ngroups: " + "[".repeat(70), "3:73"],
  ])("%s: refused before YAML recurses", (_, text, at) => {
    expect(problemsOf(text)).toEqual([
      `${at} GS_CONFIG_TOO_DEEP: the file nests lists or mappings too deeply (more than 64 levels); groupsync's file needs at most 5`,
    ]);
  });

  it("quoted brackets and comments do not count", () => {
    const text = `version: 1\ngroups:\n  vip:\n    name: "${"[".repeat(100)}" # ${"{".repeat(100)}\n`;
    expect(parseConfig(text).ok).toBe(true);
  });
});
