import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir, type CliResult } from "./helpers.js";

// Issue 19: removal limits, additions-only runs, plan age, CSV member lists; through the built
// CLI against the emulator, calls counted in its stats.
const STAFF = "GSTAFF0000000000000000001";
const AT = "2022-06-01T09:00:00.000Z";

/** A "Staff" group of 12 members (staff0..staff11@example.com) and 3 profiles in no group. */
function seed(): SeedData {
  const customer = (i: number, groups: string[]) => ({
    id: `CSTAFF${String(i).padStart(20, "0")}`,
    created_at: AT,
    updated_at: AT,
    given_name: `Staff${i}`,
    email_address: `staff${i}@example.com`,
    group_ids: groups,
    version: 0,
  });
  return {
    groups: [{ id: STAFF, name: "Staff", created_at: AT, updated_at: AT }],
    customers: Array.from({ length: 15 }, (_, i) => customer(i, i < 12 ? [STAFF] : [])),
  };
}

const WRITES = [
  "CreateCustomerGroup",
  "UpdateCustomerGroup",
  "DeleteCustomerGroup",
  "CreateCustomer",
  "BulkCreateCustomers",
  "AddGroupToCustomer",
  "RemoveGroupFromCustomer",
];

let emulator: Emulator;
let env: Record<string, string>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  emulator = await startEmulator({ seed: seed() });
  env = { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url, NO_COLOR: "1" };
});
afterAll(async () => {
  await emulator.stop();
  await Promise.all(cleanups.map((c) => c()));
});

/** A fresh directory holding `files` (groups.yaml and others). */
async function workdir(files: Record<string, string>): Promise<string> {
  const { dir, remove } = await tempDir();
  cleanups.push(remove);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const cli = (cwd: string, args: string[]): Promise<CliResult> => runCli(args, { cwd, env });

function writes(): number {
  const calls = emulator.stats().calls;
  return WRITES.reduce((n, op) => n + (calls[op] ?? 0), 0);
}

function expectNoStack(result: CliResult): void {
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

/** groups.yaml for the Staff group keeping staff0..staff(keep-1), with extra group keys. */
function staffConfig(keep: number, extra = "", defaults = ""): string {
  const members = Array.from({ length: keep }, (_, i) => `      - email: staff${i}@example.com\n`).join("");
  return (
    `version: 1\n${defaults ? `defaults:\n${defaults}` : ""}groups:\n  staff:\n    name: Staff\n${extra}` +
    `    members:\n${members}`
  );
}

describe("max_removals", () => {
  beforeEach(() => emulator.reset(seed()));

  it("refuses more removals than a group's max_removals, naming the group and the limit", async () => {
    // 3 of 12 removed: under the default rule (more than 25% and more than 10), over the limit.
    const dir = await workdir({ "groups.yaml": staffConfig(9, "    max_removals: 2\n") });
    const [plan, apply, allowed] = await Promise.all([
      cli(dir, ["plan"]),
      cli(dir, ["apply", "--auto-approve"]),
      cli(dir, ["plan", "--allow-mass-removal", "--detailed-exitcode"]),
    ]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('group "staff": removes 3 of 12 members (more than its max_removals: 2)');
    expect(plan.stderr).toContain(
      'Error: Refusing this plan for safety: it removes 3 of the 12 members of group "staff" (its max_removals is 2).',
    );
    expect(plan.stderr).toContain("--allow-mass-removal");
    expectNoStack(plan);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("Refusing this plan for safety");
    expect(allowed.code).toBe(2);
    expect(writes()).toBe(0);
  });

  it("comes from defaults; without it the default rule holds", async () => {
    const [limited, free] = await Promise.all([
      workdir({ "groups.yaml": staffConfig(9, "", "  max_removals: 1\n") }),
      workdir({ "groups.yaml": staffConfig(9) }),
    ]);
    const [refused, passed] = await Promise.all([cli(limited, ["plan"]), cli(free, ["plan"])]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("(its max_removals is 1)");
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain("Plan: 0 to create, 0 to rename, 0 to add, 3 to remove.");
  });
});

describe("--no-removals", () => {
  beforeEach(() => emulator.reset(seed()));

  /** Keeps staff0..8, adds staff12 and staff13: 2 adds, 3 removals pending. */
  const mixed = (): string =>
    staffConfig(9) + "      - email: staff12@example.com\n      - email: staff13@example.com\n";

  it("plan lists what it keeps in text, markdown and json, and the summary says so", async () => {
    const dir = await workdir({ "groups.yaml": mixed() });
    const [text, markdown, json] = await Promise.all([
      cli(dir, ["plan", "--no-removals"]),
      cli(dir, ["plan", "--no-removals", "--format", "markdown", "--no-redact"]),
      cli(dir, ["plan", "--no-removals", "--format", "json"]),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^ {8}Staff9 <staff9@example\.com> \[CSTAFF0+9\] +kept: --no-removals \(no rule matches\)$/m,
    );
    expect(text.stdout).not.toMatch(/^\s+- /m);
    expect(text.stdout).toContain(
      "Plan: 0 to create, 0 to rename, 2 to add, 0 to remove. Kept by --no-removals: 3 removals.",
    );
    expect(markdown.stdout.split("\n")[0]).toBe(
      "**Plan: 0 to create, 0 to rename, 2 to add, 0 to remove. Kept by --no-removals: 3 removals.**",
    );
    expect(markdown.stdout).toContain("kept: --no-removals");
    const document = JSON.parse(json.stdout) as {
      summary: { add: number; remove: number };
      actions: { type: string }[];
      kept: { reason: string; actions: { type: string }[] };
    };
    expect(document.summary).toMatchObject({ add: 2, remove: 0 });
    expect(document.actions.map((a) => a.type)).toEqual(["add_member", "add_member"]);
    expect(document.kept.reason).toBe("no_removals");
    expect(document.kept.actions.map((a) => a.type)).toEqual(Array(3).fill("remove_member"));
    expect(writes()).toBe(0);
  });

  it("--detailed-exitcode exits 0 when only removals are pending", async () => {
    const dir = await workdir({ "groups.yaml": staffConfig(9) });
    const [kept, plain, wrong] = await Promise.all([
      cli(dir, ["plan", "--no-removals", "--detailed-exitcode"]),
      cli(dir, ["plan", "--detailed-exitcode"]),
      cli(dir, ["plan", "--removals"]),
    ]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain("No changes. Kept by --no-removals: 3 removals.");
    expect(plain.code).toBe(2);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Unknown option "--removals" (did you mean "--no-removals"?)');
  });

  it("apply adds and removes nothing; the next plan still shows the removals", async () => {
    const dir = await workdir({ "groups.yaml": mixed() });
    const apply = await cli(dir, ["apply", "--no-removals", "--auto-approve"]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("Kept by --no-removals: 3 removals.");
    const calls = emulator.stats().calls;
    expect(calls["AddGroupToCustomer"]).toBe(2);
    expect(calls["RemoveGroupFromCustomer"] ?? 0).toBe(0);
    const after = await cli(dir, ["plan", "--detailed-exitcode"]);
    expect(after.code).toBe(2);
    expect(after.stdout).toContain("Plan: 0 to create, 0 to rename, 0 to add, 3 to remove.");
  });

  it("apply PLANFILE --no-removals applies the plan's additions only", async () => {
    const dir = await workdir({ "groups.yaml": mixed() });
    expect((await cli(dir, ["plan", "--out", "plan.json"])).code).toBe(0);
    const apply = await cli(dir, ["apply", "plan.json", "--no-removals"]);
    expect(apply.code).toBe(0);
    const calls = emulator.stats().calls;
    expect(calls["AddGroupToCustomer"]).toBe(2);
    expect(calls["RemoveGroupFromCustomer"] ?? 0).toBe(0);
  });

  it("deletes no group and needs neither --allow-delete nor --allow-mass-removal", async () => {
    // Staff without rules would lose all 12 members; "Other" is unmanaged and would be deleted.
    emulator.reset({
      ...seed(),
      groups: [
        ...seed().groups,
        { id: "GOTHER000000000000000001", name: "Other", created_at: AT, updated_at: AT },
      ],
    });
    const dir = await workdir({
      "groups.yaml":
        "version: 1\nunmanaged_groups: delete\ngroups:\n  staff:\n    name: Staff\n    members: []\n",
    });
    const [refused, kept] = await Promise.all([
      cli(dir, ["plan"]),
      cli(dir, ["apply", "--no-removals", "--auto-approve"]),
    ]);
    expect(refused.code).toBe(1);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('# group["GOTHER000000000000000001"] kept: --no-removals');
    expect(kept.stdout).toContain("No changes. Kept by --no-removals: 12 removals, 1 deletion.");
    expect(writes()).toBe(0);
  });
});

describe("--max-plan-age", () => {
  beforeEach(() => emulator.reset(seed()));

  /** A saved plan (2 adds) whose `createdAt` is moved `ms` into the past (negative: the future). */
  async function agedPlan(ms: number | undefined): Promise<string> {
    const dir = await workdir({
      "groups.yaml":
        staffConfig(12) + "      - email: staff12@example.com\n      - email: staff13@example.com\n",
    });
    expect((await cli(dir, ["plan", "--out", "plan.json"])).code).toBe(0);
    const file = JSON.parse(await readFile(join(dir, "plan.json"), "utf8")) as { createdAt?: string };
    expect(Date.now() - Date.parse(file.createdAt ?? "")).toBeLessThan(60_000);
    if (ms === undefined) delete file.createdAt;
    else file.createdAt = new Date(Date.parse(file.createdAt ?? "") - ms).toISOString();
    await writeFile(join(dir, "plan.json"), JSON.stringify(file));
    emulator.reset(seed());
    return dir;
  }

  it("refuses a plan older than 24h by default before any call, saying its age and the limit", async () => {
    const dir = await agedPlan(2 * DAY + 3 * HOUR);
    const result = await cli(dir, ["apply", "plan.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Error: plan\.json is 2d 3h old \(made \S+\); the limit is 24h \(--max-plan-age\)\. Nothing was applied\./,
    );
    expect(result.stderr).toContain("--max-plan-age 0");
    expectNoStack(result);
    expect(emulator.stats().total).toBe(0);
  });

  it("a longer --max-plan-age, or 0, accepts it", async () => {
    const dir = await agedPlan(2 * DAY + 3 * HOUR);
    const [week, hours] = await Promise.all([
      cli(dir, ["apply", "plan.json", "--max-plan-age", "7d"]),
      cli(dir, ["apply", "plan.json", "--max-plan-age", "90m"]),
    ]);
    expect(week.code).toBe(0);
    expect(hours.code).toBe(1);
    expect(hours.stderr).toContain("the limit is 90m");
    expect(emulator.stats().calls["AddGroupToCustomer"]).toBe(2);
    const again = await agedPlan(30 * DAY);
    expect((await cli(again, ["apply", "plan.json", "--max-plan-age", "0"])).code).toBe(0);
  });

  it("12h: refuses a plan 13h old and applies one 11h old", async () => {
    const [old, recent] = await Promise.all([agedPlan(13 * HOUR), agedPlan(11 * HOUR)]);
    const refused = await cli(old, ["apply", "plan.json", "--max-plan-age", "12h"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/plan\.json is 13h( 0m)? old \(made \S+\); the limit is 12h/);
    expect(emulator.stats().total).toBe(0);
    const applied = await cli(recent, ["apply", "plan.json", "--max-plan-age", "12h"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(emulator.stats().calls["AddGroupToCustomer"]).toBe(2);
  });

  it("refuses a plan from the future beyond clock skew, or of unknown age", async () => {
    const [future, skewed, unknown] = await Promise.all([
      agedPlan(-2 * HOUR),
      agedPlan(-2 * 60_000),
      agedPlan(undefined),
    ]);
    const [a, b, c] = await Promise.all([
      cli(future, ["apply", "plan.json"]),
      cli(skewed, ["apply", "plan.json"]),
      cli(unknown, ["apply", "plan.json"]),
    ]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain("was made 1h 59m in the future");
    expect(b.code).toBe(0);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain("does not record when it was made");
  });

  it("a bad duration, or one without PLANFILE, is a usage error", async () => {
    const dir = await agedPlan(0);
    const [bare, word, noFile] = await Promise.all([
      cli(dir, ["apply", "plan.json", "--max-plan-age", "5"]),
      cli(dir, ["apply", "plan.json", "--max-plan-age", "soon"]),
      cli(dir, ["apply", "--auto-approve", "--max-plan-age", "1h"]),
    ]);
    for (const result of [bare, word, noFile]) expect(result.code).toBe(1);
    expect(bare.stderr).toContain(
      '--max-plan-age must be a duration such as 90m, 12h or 7d (or 0 for no limit), not "5".',
    );
    expect(noFile.stderr).toContain("--max-plan-age applies to a saved plan");
    expect(emulator.stats().total).toBe(0);
  });
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("members_file (CSV member lists)", () => {
  beforeEach(() => emulator.reset(seed()));

  const emails = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => `staff${from + i}@example.com`);

  it("plans exactly as the same rules listed inline, match and missing included", async () => {
    // staff0..2 inline, staff3..8 and two new people in the file: 2 creations and adds, 3 removals.
    const head = "version: 1\ngroups:\n  staff:\n    name: Staff\n    missing: create\n";
    const inline = [...emails(0, 3)].map((e) => `      - email: ${e}\n`).join("");
    const listed = [...emails(3, 9), "new.one@example.com", "new.two@example.com"];
    const csv =
      "\uFEFFFirst Name,Email,Company\r\n" +
      listed.map((e, i) => `"Person, ${i}",${e.toUpperCase()},Acme\r\n`).join("") +
      "Nobody,,Acme\r\n";
    const [fromFile, fromYaml] = await Promise.all([
      workdir({
        "groups.yaml": `${head}    members_file: lists/staff.csv\n    members:\n${inline}`,
        "lists/staff.csv": csv,
      }),
      workdir({
        "groups.yaml": `${head}    members:\n${inline}${listed.map((e) => `      - email: ${e}\n`).join("")}`,
      }),
    ]);
    const [a, b, validate] = await Promise.all([
      cli(fromFile, ["plan"]),
      cli(fromYaml, ["plan"]),
      cli(fromFile, ["validate"]),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain(
      "Plan: 0 to create, 0 to rename, 2 to add, 3 to remove, 2 profiles to create.",
    );
    expect(validate.stdout).toBe("groups.yaml is valid: 1 group, 11 member rules.\n");
    expect(writes()).toBe(0);
  });

  it("a bad cell stops validate and plan with file:line:col and the excerpt, before any call", async () => {
    const dir = await workdir({
      "groups.yaml": "version: 1\ngroups:\n  staff:\n    name: Staff\n    members_file: staff.csv\n",
      "staff.csv": "name,email\nAda,staff0@example.com\nBob,bob@example\n",
    });
    const [validate, plan] = await Promise.all([cli(dir, ["validate"]), cli(dir, ["plan"])]);
    for (const result of [validate, plan]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        [
          "staff.csv:3:5: email: 'bob@example' is not a valid email address",
          "    3 | Bob,bob@example",
          "      |     ^~~~~~~~~~~",
          "Error: groups.yaml is not valid (1 problem; in staff.csv).",
        ].join("\n"),
      );
      expectNoStack(result);
    }
    expect(emulator.stats().total).toBe(0);
  });

  it("250 new emails in the file with missing: create cost 3 create calls, a second apply none", async () => {
    const people = Array.from({ length: 250 }, (_, i) => `walk-in-${String(i).padStart(3, "0")}@example.net`);
    const dir = await workdir({
      "groups.yaml": `${staffConfig(12, "    missing: create\n    members_file: walk-ins.csv\n")}`,
      "walk-ins.csv": `Name,Email\r\n${people.map((e, i) => `Guest ${i},${e}\r\n`).join("")}`,
    });
    const first = await cli(dir, ["apply", "--auto-approve"]);
    expect(first.code, first.stderr).toBe(0);
    const calls = emulator.stats().calls;
    expect(calls["BulkCreateCustomers"]).toBeLessThanOrEqual(3);
    expect(calls["CreateCustomer"] ?? 0).toBe(0);
    expect(calls["AddGroupToCustomer"]).toBe(250);
    emulator.reset();
    const second = await cli(dir, ["apply", "--auto-approve"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("No changes.");
    expect(writes()).toBe(0);
  });

  it("fmt puts members_file before members and leaves the CSV alone", async () => {
    const dir = await workdir({
      "groups.yaml":
        "version: 1\ngroups:\n  staff:\n    members:\n      - email: a@example.com\n    members_file: s.csv\n    name: Staff\n",
      "s.csv": "email\nb@example.com\n",
    });
    expect((await cli(dir, ["fmt"])).code).toBe(0);
    expect(await readFile(join(dir, "groups.yaml"), "utf8")).toBe(
      "version: 1\ngroups:\n  staff:\n    name: Staff\n    members_file: s.csv\n    members:\n      - email: a@example.com\n",
    );
    expect(await readFile(join(dir, "s.csv"), "utf8")).toBe("email\nb@example.com\n");
  });

  it("import writes a group of more than 500 members to <key>.csv (0600) that plans as No changes.", async () => {
    const at = AT;
    const big = Array.from({ length: 501 }, (_, i) => ({
      id: `CBIG${String(i).padStart(22, "0")}`,
      created_at: at,
      updated_at: at,
      ...(i % 10 === 0
        ? { phone_number: `+1415555${String(1000 + i)}` }
        : { email_address: `big${i}@example.com` }),
      group_ids: ["GBIG0000000000000000000001"],
      version: 0,
    }));
    emulator.reset({
      groups: [
        ...seed().groups,
        { id: "GBIG0000000000000000000001", name: "Big List", created_at: at, updated_at: at },
      ],
      customers: [...seed().customers, ...big],
    });
    const dir = await workdir({});
    const result = await cli(dir, ["import"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Wrote groups.yaml and 1 members file (big-list.csv): 2 groups, 513 members.",
    );
    const yaml = await readFile(join(dir, "groups.yaml"), "utf8");
    expect(yaml).toContain(
      "  big-list:\n    name: Big List\n    id: GBIG0000000000000000000001\n    members_file: big-list.csv\n",
    );
    expect(yaml).toContain("      - email: staff0@example.com\n"); // Staff (12) stays inline
    const csv = await readFile(join(dir, "big-list.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe("email,phone,customer_id");
    expect(csv.trimEnd().split("\n")).toHaveLength(502);
    expect(csv).toContain(",+14155551010,\n");
    expect((await stat(join(dir, "big-list.csv"))).mode & 0o777).toBe(0o600);
    const [plan, again] = await Promise.all([
      cli(dir, ["plan", "--detailed-exitcode"]),
      cli(dir, ["import"]),
    ]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    expect(again.code).toBe(1);
    expect(writes()).toBe(0);
  });

  it("import keeps formula-like values out of <key>.csv, and plan then says No changes.", async () => {
    // 501 members: phones in E.164 (a leading +), and emails a spreadsheet would run as formulas.
    const tricky = ["=cmd@example.com", "-dash@example.com", "+plus@example.com", "@at@example.com"];
    const big = Array.from({ length: 501 }, (_, i) => ({
      id: `CBIG${String(i).padStart(22, "0")}`,
      created_at: AT,
      updated_at: AT,
      ...(i < tricky.length
        ? { email_address: tricky[i] as string }
        : i % 10 === 0
          ? { phone_number: `+1415555${String(1000 + i)}` }
          : { email_address: `big${i}@example.com` }),
      group_ids: ["GBIG0000000000000000000001"],
      version: 0,
    }));
    emulator.reset({
      groups: [{ id: "GBIG0000000000000000000001", name: "Big List", created_at: AT, updated_at: AT }],
      customers: big,
    });
    const dir = await workdir({});
    const result = await cli(dir, ["import"]);
    expect(result.code, result.stderr).toBe(0);
    const csv = await readFile(join(dir, "big-list.csv"), "utf8");
    const cells = csv
      .trimEnd()
      .split("\n")
      .slice(1)
      .flatMap((row) => row.split(","));
    expect(cells.filter((c) => /^[=\-@']/.test(c))).toEqual([]);
    expect(cells).toContain("+14155551010");
    const yaml = await readFile(join(dir, "groups.yaml"), "utf8");
    for (const value of ["=cmd", "-dash", "+plus"])
      expect(yaml).toMatch(new RegExp(`^ {6}- email: (["']?)\\${value}@example\\.com\\1$`, "m"));
    // Not an address groups.yaml accepts: the profile is listed by its ID, in the file.
    expect(csv).toContain("\n,,CBIG0000000000000000000003\n");
    const plan = await cli(dir, ["plan", "--detailed-exitcode"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    expect(writes()).toBe(0);
  });
});
