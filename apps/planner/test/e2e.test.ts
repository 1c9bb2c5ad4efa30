import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parsePlanJson } from "@groupsync/core";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoSeed } from "../src/demo-seed.js";
import { runCli, runCliInTerminal, tempDir, type CliResult } from "./helpers.js";

/** The repository's own groups.yaml; the demo seed is built to give it a plan of every kind. */
const ROOT_CONFIG = fileURLToPath(new URL("../../../groups.yaml", import.meta.url));

const STAFF = "GSTAFFTEST000000000000001";

/** The demo account plus a "Staff" group of 12 members, for the mass-removal guard. */
function seed(): SeedData {
  const base = demoSeed();
  const at = "2022-06-01T09:00:00.000Z";
  const staff = Array.from({ length: 12 }, (_, i) => ({
    id: `CSTAFF${String(i).padStart(20, "0")}`,
    created_at: at,
    updated_at: at,
    given_name: `Staff${i}`,
    email_address: `staff${i}@example.com`,
    group_ids: [STAFF],
    version: 0,
  }));
  return {
    groups: [...base.groups, { id: STAFF, name: "Staff", created_at: at, updated_at: at }],
    customers: [...base.customers, ...staff],
  };
}

const WRITES = [
  "CreateCustomerGroup",
  "UpdateCustomerGroup",
  "DeleteCustomerGroup",
  "CreateCustomer",
  "AddGroupToCustomer",
  "RemoveGroupFromCustomer",
];

let emulator: Emulator;
let env: Record<string, string>;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  // Search lags as Square's does: plans right after an apply must not depend on it.
  emulator = await startEmulator({ seed: seed(), searchLagMs: 30_000 });
  env = { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url };
  ({ dir, remove: removeDir } = await tempDir());
});
afterAll(async () => {
  await emulator.stop();
  await removeDir();
});
beforeAll(async () => {
  await copyFile(ROOT_CONFIG, join(dir, "groups.yaml"));
});

/** A directory of its own holding groups.yaml as `edit` makes it from the root one. */
async function configDir(edit: (text: string) => string): Promise<string> {
  const own = await tempDir();
  cleanups.push(own.remove);
  await writeFile(join(own.dir, "groups.yaml"), edit(await readFile(ROOT_CONFIG, "utf8")));
  return own.dir;
}
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

const cli = (args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) =>
  runCli(args, { cwd: options.cwd ?? dir, env: { ...env, ...options.env } });

function writes(): number {
  const calls = emulator.stats().calls;
  return WRITES.reduce((n, op) => n + (calls[op] ?? 0), 0);
}

function expectNoStack(result: CliResult): void {
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

// Read-only: these run concurrently (each spawns its own processes) against the seed as it is.
describe.concurrent("plan", () => {
  it("refuses on a non-terminal without --auto-approve, changing nothing", async () => {
    const result = await cli(["apply"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "Error: apply needs your approval, but there is no terminal to ask it on.",
    );
    expect(writes()).toBe(0);
  });

  it("shows every kind of change, the warnings, the summary and the calls made (exit 0)", async () => {
    const result = await cli(["plan"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('~ name: "Summer Conf 22" -> "Summer Conference 2022"');
    expect(result.stdout).toContain('+ group.newsletter "Newsletter"');
    expect(result.stdout).toContain("no rule matches");
    expect(result.stdout).toMatch(/Plan: 1 to create, 1 to rename, 13 to add, 2 to remove/);
    expect(result.stdout).toContain("katherine.johnson@example.com");
    expect(result.stdout).toContain("mallory@example.net"); // text shows identities by default
    expect(result.stderr).toMatch(/^API calls: \d+ \(ListCustomerGroups 1, SearchCustomers \d+/m);
    expect(writes()).toBe(0);
  });

  it("--detailed-exitcode exits 2 when there are changes", async () => {
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(2);
  });

  it("masks identities not in the file in markdown by default, and --no-redact shows them", async () => {
    const [masked, shown] = await Promise.all([
      cli(["plan", "--format", "markdown"]),
      cli(["plan", "--format", "markdown", "--no-redact"]),
    ]);
    expect(masked.code).toBe(0);
    expect(masked.stdout).not.toContain("mallory@example.net");
    expect(masked.stdout).toContain("m***@e***.net");
    expect(shown.stdout).toContain("mallory@example.net");
  });

  it("--redact masks them in text too", async () => {
    const redacted = await cli(["plan", "--redact"]);
    expect(redacted.stdout).not.toContain("mallory@example.net");
    expect(redacted.stdout).toContain("m***@e***.net");
  });

  it("--format json prints the plan object (formatVersion 2) and nothing else on stdout", async () => {
    const result = await cli(["plan", "--format", "json"]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      formatVersion: number;
      actions: unknown[];
      redacted: boolean;
    };
    expect(plan.formatVersion).toBe(2);
    expect(plan.redacted).toBe(true);
    expect(plan.actions.length).toBe(19);
    // The documented schema, as core's own reader checks it.
    expect(parsePlanJson(result.stdout)).toMatchObject({ ok: true });
    expect(result.stdout).not.toContain("mallory@example.net");
  });

  it("reports a config error with file:line:col before any call", async () => {
    const own = await configDir(
      () => "version: 1\ngroups:\n  vip:\n    name: VIP\n    members:\n      - email: not-an-email\n",
    );
    // Nothing listens on port 9: a command that tried the network would fail otherwise.
    const result = await cli(["plan"], { cwd: own, env: { SQUARE_BASE_URL: "http://127.0.0.1:9" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^groups\.yaml:6:16: .*not-an-email/m);
    expect(result.stderr).toContain("Error: groups.yaml is not valid (1 problem).");
    expect(result.stderr).not.toContain("API calls");
    expectNoStack(result);
  });

  it("refuses a mass removal unless --allow-mass-removal (exit 1)", async () => {
    const own = await configDir((config) => `${config}\n  staff:\n    name: Staff\n    members: []\n`);
    const [refused, allowed, apply] = await Promise.all([
      cli(["plan", "--out", "plan.json"], { cwd: own }),
      cli(["plan", "--allow-mass-removal"], { cwd: own }),
      cli(["apply", "--auto-approve"], { cwd: own }),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Error: Refusing this plan for safety: it removes 12 of the 12 members of group "staff".',
    );
    expect(refused.stderr).toContain("--allow-mass-removal");
    await expect(readFile(join(own, "plan.json"))).rejects.toThrow();
    expect(allowed.code).toBe(0);
    // The safety note names the CLI's flag (core's renderer is handed it).
    expect(allowed.stdout).toContain("it would lose every member (12) (needs --allow-mass-removal)");
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("Refusing this plan for safety");
    expect(writes()).toBe(0);
  });

  it("refuses deleting groups unless --allow-delete (exit 1)", async () => {
    const own = await configDir((config) =>
      config.replace("unmanaged_groups: ignore", "unmanaged_groups: delete"),
    );
    const [refused, deleteOnly, allowed] = await Promise.all([
      cli(["plan"], { cwd: own }),
      cli(["plan", "--allow-delete"], { cwd: own }),
      cli(["plan", "--allow-delete", "--allow-mass-removal", "--detailed-exitcode"], { cwd: own }),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("Wholesale"); // and the test seed's "Staff"
    expect(refused.stdout).toMatch(/! deletes 2 groups \(\d+ members\) \(needs --allow-delete\)/);
    expect(refused.stderr).toMatch(/it deletes 2 groups holding \d+ members\./);
    expect(refused.stderr).toContain("--allow-delete");
    // Staff's 12 members (Square's count: its members are not read) make it a mass removal too.
    expect(deleteOnly.code).toBe(1);
    expect(deleteOnly.stderr).toContain(`deleting group["${STAFF}"] "Staff" removes its 12 members`);
    expect(allowed.code).toBe(2);
  });

  it("without a token says what to set, and never prints the token anywhere", async () => {
    const sentinel = "SENTINEL-TOKEN-0123456789";
    const [missing, wrong, debug] = await Promise.all([
      cli(["plan"], { env: { SQUARE_ACCESS_TOKEN: "" } }),
      cli(["plan", "--debug"], { env: { SQUARE_ACCESS_TOKEN: sentinel } }),
      cli(["plan", "--debug"]),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Error: SQUARE_ACCESS_TOKEN is not set.");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/401|UNAUTHORIZED/);
    expect(wrong.stdout + wrong.stderr).not.toContain(sentinel);
    expect(debug.stderr).toContain("debug: ");
    expect(debug.stdout + debug.stderr).not.toContain(emulator.token);
  });
});

describe("apply", () => {
  beforeEach(async () => {
    emulator.reset(seed());
    await copyFile(ROOT_CONFIG, join(dir, "groups.yaml"));
    await rm(join(dir, ".groupsync"), { recursive: true, force: true });
  });

  it("asks on a terminal: 'no' cancels (exit 1), 'yes' applies (exit 0)", async () => {
    const no = await runCliInTerminal(["apply"], { cwd: dir, env, input: "no\n" });
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("Only 'yes' will be accepted to approve.");
    expect(no.stdout).toContain("Apply cancelled");
    expect(writes()).toBe(0);
    const yes = await runCliInTerminal(["apply", "--no-color"], { cwd: dir, env, input: "yes\n" });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain("Apply complete!");
    expect(writes()).toBeGreaterThan(0);
  });

  it("--auto-approve applies, reports each action, and the next plan says No changes. despite search lag", async () => {
    const apply = await cli(["apply", "--auto-approve"]);
    expect(apply.code).toBe(0);
    expect(apply.stderr).toContain('✓ member.vip["margaret.hamilton@example.com"]: added');
    expect(apply.stdout).toContain(
      "Apply complete! 1 created, 1 renamed, 2 profiles created, 13 added, 2 removed.",
    );
    const state = JSON.parse(await readFile(join(dir, ".groupsync", "state.json"), "utf8")) as {
      endpoints: Record<string, { createdCustomers: unknown[] }>;
    };
    expect(state.endpoints[emulator.url]?.createdCustomers).toHaveLength(2);
    const plan = await cli(["plan", "--detailed-exitcode"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("No changes.");
  });

  it("applies a saved plan exactly, then refuses it as stale once the account moved", async () => {
    expect((await cli(["plan", "--out", "plan.json"])).code).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, "plan.json"), "utf8")) as {
      planId: string;
      plan: object;
    };
    expect(saved.planId).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(saved)).not.toContain(emulator.token);
    const apply = await cli(["apply", "plan.json"]);
    expect(apply.code).toBe(0);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);

    emulator.reset(seed());
    expect((await cli(["plan", "--out", "plan2.json"])).code).toBe(0);
    // Someone renames the group in the Dashboard after the plan was reviewed.
    const response = await fetch(`${emulator.url}/v2/customers/groups/GSUMMERCONF22DEMO00000001`, {
      method: "PUT",
      headers: { authorization: `Bearer ${emulator.token}`, "content-type": "application/json" },
      body: JSON.stringify({ group: { name: "Summer 22 (old)" } }),
    });
    expect(response.status).toBe(200);
    const before = writes();
    const stale = await cli(["apply", "plan2.json"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("Error: plan2.json is stale");
    expect(stale.stderr).toContain("Nothing was applied.");
    expect(writes()).toBe(before);
    expectNoStack(stale);
  });

  it("refuses a hand-edited plan file", async () => {
    expect((await cli(["plan", "--out", "plan.json"])).code).toBe(0);
    const text = await readFile(join(dir, "plan.json"), "utf8");
    await writeFile(join(dir, "plan.json"), text.replace("Summer Conference 2022", "Summer Conference 2023"));
    const result = await cli(["apply", "plan.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("does not match its planId");
  });

  it("names each failed action and Square's error code (a read-only token), exit 1", async () => {
    const result = await cli(["apply", "--auto-approve"], {
      env: { SQUARE_ACCESS_TOKEN: emulator.readOnlyToken },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Apply incomplete:");
    expect(result.stdout).toMatch(/✗ group\.newsletter: .*INSUFFICIENT_SCOPES/);
    expect(result.stderr).toContain('"groupsync plan" shows exactly what is left');
    expect(result.stdout + result.stderr).not.toContain(emulator.readOnlyToken);
    expectNoStack(result);
  });
});

describe("import", () => {
  it("writes a groups.yaml that plan then reports as No changes., and does not overwrite it", async () => {
    const { dir: importDir, remove } = await tempDir();
    try {
      const imported = await runCli(["import"], { cwd: importDir, env });
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/^Wrote groups\.yaml: 4 groups, \d+ members\./);
      const text = await readFile(join(importDir, "groups.yaml"), "utf8");
      expect(text).toContain("name: Summer Conf 22");
      expect(text).toContain("mallory@example.net");
      const plan = await runCli(["plan", "--detailed-exitcode"], { cwd: importDir, env });
      expect(plan.stdout).toContain("No changes.");
      expect(plan.code).toBe(0);
      const again = await runCli(["import"], { cwd: importDir, env });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("groups.yaml already exists");
      expect((await runCli(["import", "--force"], { cwd: importDir, env })).code).toBe(0);
    } finally {
      await remove();
    }
  });
});
