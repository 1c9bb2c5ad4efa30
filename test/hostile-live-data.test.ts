import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { groupsync, tempDir, type Outcome } from "./support/run-cli.js";

// Issue 17: the hostile live-data corpus. Square (or whoever wrote to it) holds names and emails
// made to drive a terminal, forge a plan line, inject markup into a pull-request comment or run
// as a spreadsheet formula; every command that shows them shows them as data. A new hostile
// string is one line here.
const HOSTILE: ReadonlyArray<readonly [string, string]> = [
  ["ANSI colour", "\u001b[31mred\u001b[0m"],
  ["forged plan line", "x\nPlan: 0 to create, 0 to rename, 0 to add, 0 to remove."],
  ["carriage return", "ok\rPlan: 0 to create, 0 to rename, 0 to add, 0 to remove."],
  ["bidi override", "\u202eevil\u202c.exe"],
  ["bidi isolates and marks", "\u2066iso\u2069\u200e\u200f\u061c"],
  ["C1 CSI, BEL, DEL", "c1\u009b31m bell\u0007 del\u007f"],
  ["HTML", "<img src=x onerror=alert(1)>"],
  ["mention", "@everyone"],
  ["link", "[x](javascript:alert(1))"],
  ["image", "![i](https://evil.example/p.png)"],
  ["code fence and details", "```\n</details>"],
  ["backticks", "`code` ``x``"],
  ["table pipe", "a | b |"],
  ["hyperlink formula", '=HYPERLINK("https://evil.example","x")'],
  ["plus command", "+cmd|' /C calc'!A0"],
  ["arithmetic", "-2+3"],
  ["at function", "@SUM(1+1)*cmd|' /C calc'!A0"],
  ["leading tab", "\tTAB"],
];

const TOKEN = "EAAAl-hostile-live-data-token-0123456789";
const AT = "2023-01-01T00:00:00.000Z";
const VIP = "GVIPHOSTILE00000000000001";
const RENAMED = "GRENHOSTILE00000000000001";
const hostileGroupId = (i: number) => `GHOSTILE${String(i).padStart(17, "0")}`;
const customerId = (i: number) => `CHOSTILE${String(i).padStart(18, "0")}`;

// Every character the sanitizer escapes: none may reach output raw. (LF is a line end; its
// place in a name is checked by the forged lines below.)
const UNSAFE_RANGES = [
  [0x00, 0x09],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
  [0x61c, 0x61c],
  [0x200e, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];
const hex = (c: number) => `\\u${c.toString(16).padStart(4, "0")}`;
const RAW_UNSAFE = new RegExp(`[${UNSAFE_RANGES.map(([a, b]) => `${hex(a!)}-${hex(b!)}`).join("")}]`);

/**
 * VIP holds Ada (the file's one rule) and a profile per hostile string (names and email hostile):
 * those are removed. Each hostile string also names an unmanaged group (deleted) holding every
 * hostile profile (a mass removal naming it in the guards' messages), and two of them make the
 * live name of a pinned group the file renames.
 */
function seed(): SeedData {
  const customers = HOSTILE.map(([, h], i) => ({
    id: customerId(i),
    created_at: AT,
    updated_at: AT,
    given_name: h,
    family_name: h,
    email_address: `${h}${i}@example.com`,
    group_ids: [VIP, ...HOSTILE.map((_, g) => hostileGroupId(g))],
    version: 0,
  }));
  customers.push({
    id: "CADA0000000000000000000001",
    created_at: AT,
    updated_at: AT,
    given_name: "Ada",
    family_name: "Lovelace",
    email_address: "ada@example.com",
    group_ids: [VIP],
    version: 0,
  });
  return {
    groups: [
      { id: VIP, name: "VIP", created_at: AT, updated_at: AT },
      { id: RENAMED, name: HOSTILE[0]![1] + HOSTILE[1]![1], created_at: AT, updated_at: AT },
      ...HOSTILE.map(([, h], i) => ({ id: hostileGroupId(i), name: h, created_at: AT, updated_at: AT })),
    ],
    customers,
  };
}

const CONFIG = `version: 1
unmanaged_groups: delete
groups:
  vip:
    name: VIP
    members:
      - email: ada@example.com
  renamed:
    name: Renamed
    id: ${RENAMED}
`;
const ALLOW = ["--allow-delete", "--allow-mass-removal"];

let emulator: Emulator;
let dir: string;
let remove: () => Promise<void>;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN, seed: seed() });
  env = { SQUARE_ACCESS_TOKEN: TOKEN, SQUARE_BASE_URL: emulator.url, NO_COLOR: "1" };
  ({ dir, remove } = await tempDir());
  await writeFile(join(dir, "groups.yaml"), CONFIG);
});
afterAll(async () => {
  await emulator?.stop();
  await remove?.();
});

const cli = (args: string[]) => groupsync(args, { cwd: dir, env });
// Plans change nothing: the text plan is read once for the tests that look at it.
let textPlan: Promise<Outcome> | undefined;
const planText = () => (textPlan ??= cli(["plan", ...ALLOW]));

/** Nothing raw on either stream, and no line a hostile string could have started. */
function expectSafe(result: Outcome): void {
  for (const [stream, text] of [
    ["stdout", result.stdout],
    ["stderr", result.stderr],
  ] as const) {
    expect(text, stream).not.toMatch(RAW_UNSAFE);
    expect(text, stream).not.toMatch(/^Plan: 0 to create, 0 to rename, 0 to add, 0 to remove\.$/m);
  }
}

/** The markdown outside code blocks: no raw HTML but ours, no unescaped markup, no mention. */
function markupOutsideCode(markdown: string): string {
  const [head = "", rest = ""] = markdown.split(/^`{3,}diff$/m);
  const fence = /^(`{3,})diff$/m.exec(markdown)?.[1] ?? "```";
  const closing = rest.split("\n").findIndex((line) => line === fence);
  expect(closing, "the diff block is closed once, by its own fence").toBeGreaterThan(0);
  const tail = rest
    .split("\n")
    .slice(closing + 1)
    .join("\n");
  // Ours: the collapsible details, the warning box.
  return (head + tail).replace(/<\/?details>|<summary>|<\/summary>/g, "").replace(/^> (\[!WARNING\])?/gm, "");
}

describe("hostile live data reaches no output raw", () => {
  beforeEach(() => emulator.reset(seed()));

  it("plan (text): escaped names, one real summary line", async () => {
    const result = await planText();
    expect(result.code, result.stderr).toBe(0);
    expectSafe(result);
    expect(result.stdout.match(/^Plan: /gm)).toHaveLength(1);
    expect(result.stdout).toContain(`~ name: "\\u001b[31mred\\u001b[0mx\\nPlan: 0 to create`);
    expect(result.stdout).toContain(`"\\u202eevil\\u202c.exe"`);
    expect(result.stdout).toContain("\\tTAB");
  });

  it.each(HOSTILE)("plan (text) shows %s escaped as a deleted group's name", async (_label, h) => {
    const result = await planText();
    // As Terraform quotes a string: JSON's escapes, and \uXXXX for what JSON leaves raw.
    const quoted = JSON.stringify(h).replace(
      /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    expect(result.stdout).toContain(
      `- group["${hostileGroupId(HOSTILE.findIndex(([, x]) => x === h))}"] ${quoted}`,
    );
  });

  it("plan --format markdown: no markup outside the diff block, which nothing closes early", async () => {
    const result = await cli(["plan", "--format", "markdown", "--no-redact", ...ALLOW]);
    expect(result.code, result.stderr).toBe(0);
    expectSafe(result);
    const outside = markupOutsideCode(result.stdout);
    expect(outside).not.toMatch(/[<>]/);
    expect(outside).not.toMatch(/@(?!&#8203;)/);
    expect(outside).not.toMatch(/(^|[^\\])[`[\]|!]/m);
    expect(outside).toContain("&lt;img src\\=x onerror\\=alert\\(1\\)&gt;");
  });

  it("plan --format json: the data exactly, with nothing raw", async () => {
    const result = await cli(["plan", "--format", "json", "--no-redact", ...ALLOW]);
    expect(result.code, result.stderr).toBe(0);
    expectSafe(result);
    const plan = JSON.parse(result.stdout) as { safety: { deletedGroups: Array<{ name: string }> } };
    expect(plan.safety.deletedGroups.map((d) => d.name).sort()).toEqual(HOSTILE.map(([, h]) => h).sort());
  });

  it("plan refused by the guards: the error names the group escaped", async () => {
    const result = await cli(["plan", "--allow-delete"]);
    expect(result.code).toBe(1);
    expectSafe(result);
    expect(result.stderr).toContain(`"\\u001b[31mred\\u001b[0m" removes its ${HOSTILE.length} members`);
  });

  it("apply: progress and summary escaped, the plan applied", async () => {
    const result = await cli(["apply", "--auto-approve", ...ALLOW]);
    expect(result.code, result.stderr).toBe(0);
    expectSafe(result);
    expect(result.stdout).toContain("Apply complete!");
    expect(emulator.store.groups().map((g) => g.name)).toEqual(["VIP", "Renamed"]);
  });

  it.each(["table", "json", "ndjson"])("members --format %s", async (format) => {
    const result = await cli(["members", "VIP", "--format", format]);
    expect(result.code, result.stderr).toBe(0);
    expectSafe(result);
    if (format === "json") {
      const rows = JSON.parse(result.stdout) as Array<{ given_name: string }>;
      expect(rows.map((r) => r.given_name).sort()).toEqual([...HOSTILE.map(([, h]) => h), "Ada"].sort());
    }
  });

  it("members --format csv: no formula cell, nothing raw; --csv-raw keeps the data", async () => {
    const [safe, raw] = await Promise.all([
      cli(["members", "VIP", "--format", "csv"]),
      cli(["members", "VIP", "--format", "csv", "--csv-raw"]),
    ]);
    expect(safe.code, safe.stderr).toBe(0);
    // Records end with CRLF (RFC 4180); nothing else raw.
    expectSafe({ ...safe, stdout: safe.stdout.replace(/\r\n/g, "\n") });
    const cells = (parseCsv(safe.stdout) as string[][]).flat();
    for (const cell of cells) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(cells).toContain(`'=HYPERLINK("https://evil.example","x")`);
    expect(cells).toContain("'-2+3");
    const rawRows = parseCsv(raw.stdout, { columns: true }) as Array<{ given_name: string }>;
    expect(rawRows.map((r) => r.given_name).sort()).toEqual([...HOSTILE.map(([, h]) => h), "Ada"].sort());
  });

  it("import: nothing raw in its output or its groups.yaml, and plan then says No changes.", async () => {
    const own = await tempDir();
    try {
      const run = (args: string[]) => groupsync(args, { cwd: own.dir, env });
      const imported = await run(["import"]);
      expect(imported.code, imported.stderr).toBe(0);
      expectSafe(imported);
      const yaml = await readFile(join(own.dir, "groups.yaml"), "utf8");
      expect(yaml).not.toMatch(RAW_UNSAFE);
      expect(yaml).not.toMatch(/^Plan: /m);
      const plan = await run(["plan"]);
      expect(plan.code, plan.stderr).toBe(0);
      expectSafe(plan);
      expect(plan.stdout).toBe("No changes.\n");
    } finally {
      await own.remove();
    }
  });
});
