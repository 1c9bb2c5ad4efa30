import { describe, expect, it } from "vitest";
import { formatProblems, parseConfig, type MembersFileRead } from "../src/index.js";

// Issue 19: members files (DESIGN.md §2), read through an injected reader.
const encode = (text: string) => new TextEncoder().encode(text);

function reader(files: Record<string, string | Uint8Array | MembersFileRead>) {
  const asked: string[] = [];
  const read = (path: string): MembersFileRead => {
    asked.push(path);
    const file = files[path];
    if (file === undefined) return { ok: false, reason: "not_found" };
    if (typeof file === "string") return { ok: true, bytes: encode(file) };
    if (file instanceof Uint8Array) return { ok: true, bytes: file };
    return file;
  };
  return { read, asked };
}

const config = (group = "    members_file: attendees.csv\n") =>
  `version: 1\ngroups:\n  conf:\n    name: Conference\n${group}`;

function parse(text: string, files: Record<string, string | Uint8Array | MembersFileRead>, file?: string) {
  return parseConfig(text, { readMembersFile: reader(files).read, ...(file ? { file } : {}) });
}

/** `file:line:col code: message` of each problem. */
function problems(text: string, files: Record<string, string | Uint8Array | MembersFileRead>): string[] {
  const result = parse(text, files);
  if (result.ok) throw new Error("expected problems");
  return result.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.code}: ${p.message}`);
}

function rules(text: string, files: Record<string, string | Uint8Array | MembersFileRead>) {
  const result = parse(text, files);
  if (!result.ok) throw new Error(formatProblems(result.problems, text, { sources: result.sources }));
  return result.desired.groups.map((g) => g.rules.map((r) => `${r.kind}:${r.value}`));
}

describe("members_file", () => {
  it("reads the rule columns, normalized as inline rules, after the inline ones", () => {
    const csv =
      "First Name, EMAIL ,Phone,Customer_ID,Company\n" +
      'Ada,Ada@Example.com,(415) 555-0100,,"Lovelace, Inc."\n' +
      "Bob,,,CBOB123,\n" +
      "Nobody,,,,Acme\n" +
      "Cy, cy@example.com ,,,\n";
    const text = config("    members:\n      - email: zed@example.com\n    members_file: attendees.csv\n");
    expect(rules(text, { "attendees.csv": csv })).toEqual([
      [
        "email:zed@example.com",
        "email:ada@example.com",
        "phone:+14155550100",
        "customer_id:CBOB123",
        "email:cy@example.com",
      ],
    ]);
  });

  it("tolerates a BOM, CRLF, quoted fields with commas, quotes and newlines, empty lines", () => {
    const csv =
      '\uFEFFemail,note\r\n"ada@example.com","said ""hi"",\r\nthen left"\r\n\r\nbob@example.com,\r\n';
    expect(rules(config(), { "attendees.csv": csv })).toEqual([
      ["email:ada@example.com", "email:bob@example.com"],
    ]);
  });

  it("reads phones in defaults.country", () => {
    const text =
      "version: 1\ndefaults:\n  country: GB\ngroups:\n  conf:\n    name: C\n    members_file: a.csv\n";
    expect(rules(text, { "a.csv": "phone\n020 7946 0958\n" })).toEqual([["phone:+442079460958"]]);
  });

  it("a header alone is a list of no members", () => {
    expect(rules(config(), { "attendees.csv": "email,name\n" })).toEqual([[]]);
  });

  it("reads each file once, whichever groups name it, and reports its problems once", () => {
    const { read, asked } = reader({ "a.csv": "email\nnot-an-email\nada@example.com\n" });
    const text =
      "version: 1\ngroups:\n  one:\n    name: One\n    members_file: a.csv\n  two:\n    name: Two\n    members_file: ./a.csv\n";
    const result = parseConfig(text, { readMembersFile: read });
    expect(asked).toEqual(["a.csv"]);
    expect(!result.ok && result.problems.map((p) => `${p.file}:${p.line}:${p.col}`)).toEqual(["a.csv:2:1"]);
  });

  it("names files beside groups.yaml as given (--file conf/groups.yaml)", () => {
    const result = parse(config(), { "attendees.csv": "email\nada@example\n" }, "conf/groups.yaml");
    expect(!result.ok && result.problems[0]?.file).toBe("conf/attendees.csv");
    expect(result.sources?.has("conf/attendees.csv")).toBe(true);
  });

  it("formats a CSV problem with the CSV's own line", () => {
    const result = parse(config(), { "attendees.csv": "name,email\nAda,ada@example\n" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatProblems(result.problems, config(), { sources: result.sources })).toBe(
      [
        "attendees.csv:2:5: email: 'ada@example' is not a valid email address",
        "    2 | Ada,ada@example",
        "      |     ^~~~~~~~~~~",
      ].join("\n"),
    );
  });

  it("without a reader, a members_file is a problem at its value", () => {
    const result = parseConfig(config());
    expect(!result.ok && result.problems.map((p) => `${p.line}:${p.col} ${p.code}: ${p.message}`)).toEqual([
      "5:19 GS_CONFIG_MEMBERS_FILE_UNREADABLE: groups.conf.members_file: attendees.csv was not read (no file reader given)",
    ]);
  });
});

describe("members_file problems", () => {
  it.each<[string, string, string | Uint8Array | MembersFileRead | undefined, string[]]>([
    [
      "a missing file",
      "attendees.csv",
      undefined,
      [
        "groups.yaml:5:19 GS_CONFIG_MEMBERS_FILE_UNREADABLE: groups.conf.members_file: attendees.csv does not exist",
      ],
    ],
    [
      "a directory",
      "attendees.csv",
      { ok: false, reason: "directory" },
      [
        "groups.yaml:5:19 GS_CONFIG_MEMBERS_FILE_UNREADABLE: groups.conf.members_file: attendees.csv is a directory, not a CSV file",
      ],
    ],
    [
      "a file over the size limit",
      "attendees.csv",
      { ok: false, reason: "too_large", detail: "80 MiB" },
      [
        "attendees.csv:1:1 GS_CONFIG_FILE_TOO_LARGE: the file is too large (80 MiB); a members file may be at most 64 MiB",
      ],
    ],
    [
      "an absolute path",
      "/etc/passwd",
      "",
      [
        'groups.yaml:5:19 GS_CONFIG_INVALID_MEMBERS_FILE: groups.conf.members_file: "/etc/passwd" is not a relative path; write the path from groups.yaml\'s folder (e.g. attendees.csv)',
      ],
    ],
    [
      "a path out of groups.yaml's folder",
      "lists/../../secret.csv",
      "",
      [
        'groups.yaml:5:19 GS_CONFIG_INVALID_MEMBERS_FILE: groups.conf.members_file: "lists/../../secret.csv" leads out of groups.yaml\'s folder; keep members files in it or below it',
      ],
    ],
    [
      "backslashes",
      "lists\\a.csv",
      "",
      [
        "groups.yaml:5:19 GS_CONFIG_INVALID_MEMBERS_FILE: groups.conf.members_file: \"lists\\\\a.csv\" uses '\\'; write folders with '/' (e.g. lists/attendees.csv)",
      ],
    ],
    [
      "an empty file",
      "attendees.csv",
      "",
      [
        "attendees.csv:1:1 GS_CONFIG_EMPTY_FILE: the file is empty; a members file needs a header row naming an email, phone or customer_id column",
      ],
    ],
    [
      "no rule column",
      "attendees.csv",
      "name,company\nAda,Acme\n",
      [
        "attendees.csv:1:1 GS_CONFIG_CSV_NO_RULE_COLUMN: the header has no email, phone or customer_id column (its columns: 'name', 'company')",
      ],
    ],
    [
      "semicolons between columns",
      "attendees.csv",
      "name;email\nAda;ada@example.com\n",
      [
        "attendees.csv:1:1 GS_CONFIG_CSV_NO_RULE_COLUMN: the header has no email, phone or customer_id column (its columns: 'name;email') (the header holds ';': save the file with commas between columns)",
      ],
    ],
    [
      "an unterminated quote",
      "attendees.csv",
      'email,name\nada@example.com,"Ada\nbob@example.com,Bob\n',
      [
        "attendees.csv:2:17 GS_CONFIG_CSV_SYNTAX: CSV syntax error: this quoted value has no closing double quote",
      ],
    ],
    [
      "text after a closing quote",
      "attendees.csv",
      'email,name\n"ada@example.com"x,Ada\n',
      [
        'attendees.csv:2:1 GS_CONFIG_CSV_SYNTAX: CSV syntax error: a closing double quote must be followed by a comma or the end of the line (write a quote inside a quoted value as "")',
      ],
    ],
    [
      "a quote inside an unquoted value",
      "attendees.csv",
      'email,name\nada@example.com,Ada "the" Countess\n',
      [
        'attendees.csv:2:17 GS_CONFIG_CSV_SYNTAX: CSV syntax error: a double quote inside a value that does not start with one (quote the whole value: "a ""b"" c")',
      ],
    ],
    [
      "a row with too many fields",
      "attendees.csv",
      "email,name\nada@example.com,Lovelace, Ada\n",
      [
        "attendees.csv:2:1 GS_CONFIG_CSV_FIELD_COUNT: this row has 3 fields but the header has 2 (a value holding a comma needs double quotes)",
      ],
    ],
    [
      "the same column twice",
      "attendees.csv",
      "email,Email\nada@example.com,ada@example.com\n",
      [
        "attendees.csv:1:7 GS_CONFIG_CSV_DUPLICATE_COLUMN: column 'Email' appears twice (also column 1); keep one",
      ],
    ],
    [
      "a bad email and a bad phone",
      "attendees.csv",
      "name,email,phone\nAda,ada@example,\nBob,,+1 555\nCy,cy@,12\n",
      [
        "attendees.csv:2:5 GS_CONFIG_INVALID_EMAIL: email: 'ada@example' is not a valid email address",
        "attendees.csv:3:6 GS_CONFIG_INVALID_PHONE: phone: '+1 555' is not a valid phone number",
        "attendees.csv:4:4 GS_CONFIG_INVALID_EMAIL: email: 'cy@' is not a valid email address",
        "attendees.csv:4:8 GS_CONFIG_INVALID_PHONE: phone: '12' is not a valid phone number (read as a US number; write other countries with their +country code)",
      ],
    ],
    [
      "a customer_id with a space",
      "attendees.csv",
      "customer_id\nCAB CD\n",
      [
        "attendees.csv:2:1 GS_CONFIG_INVALID_VALUE: customer_id: 'CAB CD' is not a Square ID (an ID has no spaces)",
      ],
    ],
    [
      "a rule twice in the file",
      "attendees.csv",
      "email\nada@example.com\nbob@example.com\nADA@example.com\n",
      [
        "attendees.csv:4:1 GS_CONFIG_DUPLICATE_RULE: email ada@example.com is already listed on line 2; list each rule once per group",
      ],
    ],
    [
      "invalid UTF-8 (a Windows-1252 export)",
      "attendees.csv",
      new Uint8Array([...encode("email,name\nada@example.com,Ren"), 0xe9, 10]),
      [
        'attendees.csv:2:20 GS_CONFIG_INVALID_UTF8: the file is not valid UTF-8 (byte 0xE9 at offset 30); save or export it as "CSV UTF-8"',
      ],
    ],
    [
      "a spreadsheet workbook",
      "attendees.csv",
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]),
      [
        'attendees.csv:1:1 GS_CONFIG_BINARY_CONTENT: the file is a ZIP archive (a spreadsheet workbook?), not CSV text; export the sheet as "CSV UTF-8"',
      ],
    ],
    [
      "a NUL byte",
      "attendees.csv",
      "email\nada@exa\u0000mple.com\n",
      [
        "attendees.csv:2:8 GS_CONFIG_BINARY_CONTENT: the file contains a NUL byte (0x00); a members file must be CSV text (is it a binary file?)",
      ],
    ],
  ])("%s", (_name, path, content, expected) => {
    const text = config(`    members_file: ${JSON.stringify(path)}\n`);
    expect(
      problems(text, content === undefined ? {} : { [path]: content, "attendees.csv": content }),
    ).toEqual(expected);
  });

  it("a rule in both groups.yaml and the file, with the line of the first", () => {
    const text = config("    members:\n      - email: ada@example.com\n    members_file: attendees.csv\n");
    expect(problems(text, { "attendees.csv": "name,email\nAda,Ada@Example.com\n" })).toEqual([
      "attendees.csv:2:5 GS_CONFIG_DUPLICATE_RULE: email ada@example.com is already listed at groups.conf.members[0] (groups.yaml line 6); list each rule once per group",
    ]);
  });

  it("problems of groups.yaml and of the file come together, groups.yaml's first", () => {
    const text = config("    members:\n      - email: bad@\n    members_file: attendees.csv\n");
    expect(problems(text, { "attendees.csv": "email\nworse@\n" })).toEqual([
      "groups.yaml:6:16 GS_CONFIG_INVALID_EMAIL: groups.conf.members[0].email: 'bad@' is not a valid email address",
      "attendees.csv:2:1 GS_CONFIG_INVALID_EMAIL: email: 'worse@' is not a valid email address",
    ]);
  });
});
