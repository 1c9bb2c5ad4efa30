import { writeFile } from "node:fs/promises";
import { join } from "node:path";
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
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
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
