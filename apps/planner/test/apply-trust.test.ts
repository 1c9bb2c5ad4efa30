import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

// What a reviewer approved is what runs (issue 17.3, 17.8, 19.2), through the built CLI: a saved
// plan re-checks its creations and additions, creations are idempotent across processes, and
// `missing: create` profiles are made 100 a call.

const AT = "2022-06-01T09:00:00.000Z";
const WRITES = [
  "CreateCustomerGroup",
  "UpdateCustomerGroup",
  "DeleteCustomerGroup",
  "CreateCustomer",
  "BulkCreateCustomers",
  "AddGroupToCustomer",
  "RemoveGroupFromCustomer",
];

function seed(): SeedData {
  const person = (id: string, email: string, groupIds: string[] = []) => ({
    id,
    created_at: AT,
    updated_at: AT,
    email_address: email,
    ...(groupIds.length > 0 ? { group_ids: groupIds } : {}),
    version: 0,
  });
  return {
    groups: [
      { id: "GVIP", name: "VIP", created_at: AT, updated_at: AT },
      { id: "GALPHA", name: "Alpha", created_at: AT, updated_at: AT },
      { id: "GBETA", name: "Beta", created_at: AT, updated_at: AT },
    ],
    customers: [
      person("CADA", "ada@example.com", ["GVIP"]),
      person("CBOB", "bob@example.com"),
      person("CCY", "cy@example.com"),
      person("CDEE", "dee@example.com"),
    ],
  };
}

let emulator: Emulator;
let env: Record<string, string>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  emulator = await startEmulator({ seed: seed() });
  env = { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url };
});
afterAll(async () => {
  await emulator.stop();
  await Promise.all(cleanups.map((c) => c()));
});
beforeEach(() => {
  emulator.configure({ latencyMs: 0, searchLagMs: 0 });
  emulator.reset(seed());
});

/** A directory of its own holding `groups.yaml` with `text`. */
async function configDir(text: string): Promise<string> {
  const own = await tempDir();
  cleanups.push(own.remove);
  await writeFile(join(own.dir, "groups.yaml"), text);
  return own.dir;
}

const cli = (cwd: string, args: string[]) => runCli(args, { cwd, env });

function calls(): Record<string, number> {
  return Object.fromEntries(Object.entries(emulator.stats().calls).filter(([, n]) => n > 0));
}

function writes(): number {
  const seen = emulator.stats().calls;
  return WRITES.reduce((n, op) => n + (seen[op] ?? 0), 0);
}

/** VIP keeps ada, adds bob and creates new@ (missing: create). */
const VIP = [
  "version: 1",
  "groups:",
  "  vip:",
  "    name: VIP",
  "    missing: create",
  "    members:",
  "      - email: ada@example.com",
  "      - email: bob@example.com",
  "      - email: new@example.com",
  "",
].join("\n");

describe("apply plan.json re-checks creations and additions", () => {
  it("applies a plan nothing has moved under, its check costing one search per creation", async () => {
    const cwd = await configDir(VIP);
    expect((await cli(cwd, ["plan", "--out", "plan.json"])).code).toBe(0);
    emulator.reset();
    const applied = await cli(cwd, ["apply", "plan.json"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Apply complete!");
    // The check (list, one BulkRetrieve, one search), one bulk create, two adds, the read-back.
    expect(calls()).toEqual({
      ListCustomerGroups: 1,
      BulkRetrieveCustomers: 2,
      SearchCustomers: 1,
      BulkCreateCustomers: 1,
      AddGroupToCustomer: 2,
    });
  });

  it("refuses it as stale when someone made the profile it creates meanwhile, applying nothing", async () => {
    const cwd = await configDir(VIP);
    expect((await cli(cwd, ["plan", "--out", "plan.json"])).code).toBe(0);
    // A sign-up at the point of sale while the pull request waits.
    const walkIn = emulator.store.addCustomer({ email_address: "New@Example.com", given_name: "New" });
    emulator.reset();
    const refused = await cli(cwd, ["apply", "plan.json"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("plan.json is stale");
    expect(refused.stderr).toContain(
      `a profile with new@example.com exists now (${walkIn.id}); the plan would create a second one`,
    );
    expect(refused.stderr).toContain("Nothing was applied.");
    expect(writes()).toBe(0);
    expect(calls()).toEqual({ ListCustomerGroups: 1, BulkRetrieveCustomers: 1, SearchCustomers: 1 });
    const profiles = emulator.store.snapshot().customers;
    expect(profiles.filter((c) => c.email_address?.toLowerCase() === "new@example.com")).toHaveLength(1);
  });

  it("refuses it as stale when a profile it adds no longer matches its rule", async () => {
    const cwd = await configDir(VIP);
    expect((await cli(cwd, ["plan", "--out", "plan.json"])).code).toBe(0);
    emulator.store.updateCustomer("CBOB", { email_address: "robert@example.org" });
    emulator.reset();
    const refused = await cli(cwd, ["apply", "plan.json"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("plan.json is stale");
    expect(refused.stderr).toContain(
      "profile CBOB no longer matches bob@example.com, the rule that selected it",
    );
    // The profile's new email is personal data the file does not hold: never printed.
    expect(refused.stderr + refused.stdout).not.toContain("robert@");
    expect(writes()).toBe(0);
    expect(emulator.store.getCustomer("CBOB")?.group_ids).toBeUndefined();
  });
});

describe("missing: create", () => {
  it("creates 250 profiles in 3 calls, and a second apply creates none", async () => {
    const emails = Array.from({ length: 250 }, (_, i) => `new-${String(i).padStart(3, "0")}@example.net`);
    const cwd = await configDir(
      [
        "version: 1",
        "groups:",
        "  walk-ins:",
        "    name: Walk-ins",
        "    missing: create",
        "    members:",
        ...emails.map((e) => `      - email: ${e}`),
        "",
      ].join("\n"),
    );
    // Search lags as Square's does: the second apply must find the profiles without it.
    emulator.configure({ searchLagMs: 30_000 });
    const first = await cli(cwd, ["apply", "--auto-approve"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("250 profiles created");
    expect(emulator.stats().calls["BulkCreateCustomers"]).toBe(3);
    expect(emulator.stats().calls["CreateCustomer"] ?? 0).toBe(0);

    emulator.reset();
    const second = await cli(cwd, ["apply", "--auto-approve"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("No changes.");
    expect(writes()).toBe(0);
    const made = emulator.store.snapshot().customers.filter((c) => c.email_address?.startsWith("new-"));
    expect(made).toHaveLength(250);
  });
});

describe("two applies of different files at once", () => {
  it("make a group both create once, and either file plans cleanly after", async () => {
    const file = (own: string, ownName: string, member: string) =>
      [
        "version: 1",
        "groups:",
        `  ${own}:`,
        `    name: ${ownName}`,
        "    members:",
        `      - email: ${member}`,
        "  race-two:",
        "    name: Race Two",
        "    membership: additive",
        "    members:",
        `      - email: ${member}`,
        "",
      ].join("\n");
    const [a, b] = await Promise.all([
      configDir(file("alpha", "Alpha", "cy@example.com")),
      configDir(file("beta", "Beta", "dee@example.com")),
    ]);
    // Every call takes 300 ms: each process reads (and finds no Race Two) long before either
    // creates it, however far apart the two start.
    emulator.configure({ latencyMs: 300 });
    const [ra, rb] = await Promise.all([
      cli(a, ["apply", "--auto-approve"]),
      cli(b, ["apply", "--auto-approve"]),
    ]);
    emulator.configure({ latencyMs: 0 });
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    // Both planned the creation and both sent it...
    expect(ra.stdout).toContain('+ group.race-two "Race Two"');
    expect(rb.stdout).toContain('+ group.race-two "Race Two"');
    expect(emulator.stats().calls["CreateCustomerGroup"]).toBe(2);
    // ...and Square made one group.
    const raceTwo = emulator.store.groups().filter((g) => g.name === "Race Two");
    expect(raceTwo).toHaveLength(1);
    const members = emulator.store
      .snapshot()
      .customers.filter((c) => c.group_ids?.includes(raceTwo[0]?.id ?? "-"))
      .map((c) => c.id)
      .sort();
    expect(members).toEqual(["CCY", "CDEE"]);

    for (const cwd of [a, b]) {
      const plan = await cli(cwd, ["plan", "--detailed-exitcode"]);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stdout).toContain("No changes.");
    }
  });
});
