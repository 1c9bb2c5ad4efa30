import { appendFile, rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cliEnv, groupsync, membershipProblems } from "./harness.js";
import { createScenario, type Scenario } from "./workload.js";

// Eventual consistency (issue 6, DESIGN.md §1, §6): SearchCustomers sees each change after a
// random lag of up to 60 s (Retrieve and BulkRetrieve see it at once). Right after an apply,
// a plan must say `No changes.` (no phantom adds for members search does not show yet, no
// phantom removes for members it still shows), and a second apply must change nothing and
// create no second profile for a `missing: create` rule.
const TOKEN = "resilience-consistency-token";
const NEW_PEOPLE = ["lag-one@example.net", "lag-two@example.net", "lag-three@example.net"];

let emulator: Emulator;
let scenario: Scenario;

beforeAll(async () => {
  // 5,000 profiles, 5 groups, 1,000 rules at 5% drift (50 swaps), one group to create, and a
  // group whose rules name people who have no profile yet (missing: create).
  scenario = await createScenario({
    customers: 5_000,
    groups: 5,
    rules: 1_000,
    drift: 0.05,
    seed: 60,
    newGroups: 1,
  });
  await appendFile(
    scenario.file,
    [
      "  walk-ins:",
      '    name: "Walk-ins"',
      "    missing: create",
      "    members:",
      ...NEW_PEOPLE.map((e) => `      - email: ${e}`),
      "",
    ].join("\n"),
  );
  emulator = await startEmulator({
    token: TOKEN,
    seed: structuredClone(scenario.seed),
    searchLagMs: { min: 0, max: 60_000 },
    latencyMs: { min: 1, max: 5 },
    randomSeed: 60,
  });
});

afterAll(async () => {
  await emulator?.stop();
  if (scenario) await rm(scenario.dir, { recursive: true, force: true });
});

describe("search lagging up to 60 s", () => {
  it("a plan right after apply says No changes., and a second apply changes nothing", async () => {
    const env = cliEnv({ url: emulator.url, token: TOKEN });
    const applied = await groupsync(["apply", "--file", scenario.file, "--auto-approve"], env);
    expect(applied.code, applied.stderr).toBe(0);
    // The lag is real: search has not caught up with most of the changes yet.
    expect(emulator.store.pendingSearchChanges()).toBeGreaterThan(0);

    const plan = await groupsync(["plan", "--file", scenario.file, "--detailed-exitcode"], env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes.");

    const writesBefore = emulator.stats().calls;
    const again = await groupsync(["apply", "--file", scenario.file, "--auto-approve"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");
    const writesAfter = emulator.stats().calls;
    for (const op of [
      "CreateCustomer",
      "BulkCreateCustomers",
      "CreateCustomerGroup",
      "AddGroupToCustomer",
      "RemoveGroupFromCustomer",
    ]) {
      expect(writesAfter[op] ?? 0, op).toBe(writesBefore[op] ?? 0);
    }
    console.log(
      `[consistency] ${emulator.store.pendingSearchChanges()} changes still invisible to search after the second apply`,
    );

    const store = emulator.store.snapshot();
    // Exactly one profile per new person, in the walk-ins group.
    const walkIns = store.groups.find((g) => g.name === "Walk-ins");
    expect(walkIns).toBeDefined();
    for (const email of NEW_PEOPLE) {
      const profiles = store.customers.filter((c) => c.email_address?.toLowerCase() === email);
      expect(profiles.length, email).toBe(1);
      expect(profiles[0]?.group_ids ?? [], email).toContain(walkIns?.id);
    }
    expect(membershipProblems(store, scenario.expected)).toEqual([]);
  });
});
