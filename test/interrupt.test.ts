import { readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cliEnv, groupsync, membershipProblems, startGroupsync } from "./resilience/harness.js";
import { createScenario, type Scenario } from "./resilience/workload.js";

// Issue 17.5: a real SIGTERM or SIGINT sent to the built CLI in the middle of an apply. It starts
// nothing new, lets what is in flight finish, prints what was and was not done, saves the state
// file (the profiles it created, which search does not show yet), and exits 143 / 130. The next
// plan lists exactly what was not done, and finishing the apply does nothing twice.
const TOKEN = "interrupt-test-token";
const NEWCOMERS = 30;
/** Four requests in flight at 15-30 ms each: the writes last long enough to be interrupted. */
const APPLY = ["apply", "--auto-approve", "--concurrency", "4"];

let emulator: Emulator;
let scenario: Scenario;
let expected: Map<string, Set<string>>;

beforeAll(async () => {
  scenario = await createScenario({
    customers: 2_000,
    groups: 4,
    rules: 400,
    drift: 0.2,
    seed: 17,
    newGroups: 1,
    perNewGroup: 10,
  });
  // A group to create with profiles to create: the state file is what tells the next plan
  // about them while search lags.
  const emails = Array.from({ length: NEWCOMERS }, (_, i) => `newcomer-${i + 1}@example.net`);
  await writeFile(
    scenario.file,
    (await readFile(scenario.file, "utf8")) +
      ["  newcomers:", '    name: "Newcomers"', "    missing: create", "    members:"]
        .concat(emails.map((e) => `      - email: "${e}"`))
        .join("\n") +
      "\n",
  );
  expected = scenario.expected;
  emulator = await startEmulator({
    token: TOKEN,
    seed: structuredClone(scenario.seed),
    latencyMs: { min: 15, max: 30 },
    // Search shows no change of the apply: the next plan depends on the state file and
    // BulkRetrieve alone.
    searchLagMs: 600_000,
    randomSeed: 17,
  });
});

afterAll(async () => {
  await emulator?.stop();
  if (scenario) await rm(scenario.dir, { recursive: true, force: true });
});

const env = () => cliEnv({ url: emulator.url, token: TOKEN });
const statePath = () => join(dirname(scenario.file), ".groupsync", "state.json");

/** Write calls: profiles are created 100 a call (BulkCreateCustomers), the rest one a call. */
function writes(): number {
  const { calls } = emulator.stats();
  return (
    (calls["AddGroupToCustomer"] ?? 0) +
    (calls["RemoveGroupFromCustomer"] ?? 0) +
    (calls["CreateCustomerGroup"] ?? 0) +
    (calls["BulkCreateCustomers"] ?? 0)
  );
}

/** The newcomers' profiles in the store (current, whatever search shows). */
function newcomers() {
  return emulator.store.snapshot().customers.filter((c) => c.email_address?.startsWith("newcomer-"));
}

/** The addresses of the plan for the account as it is now. */
async function planAddresses(): Promise<string[]> {
  const planned = await groupsync(
    ["plan", "--file", scenario.file, "--format", "json", "--no-redact"],
    env(),
  );
  expect(planned.code, planned.stderr).toBe(0);
  const plan = JSON.parse(planned.stdout) as { actions: Array<{ address: string }> };
  return plan.actions.map((a) => a.address).sort();
}

describe.each([
  ["SIGTERM", 143],
  ["SIGINT", 130],
] as const)("%s in the middle of an apply", (signal, exitCode) => {
  it(`stops cleanly (exit ${exitCode}), saves its state, and the next plan is exactly what is left`, async () => {
    emulator.reset(structuredClone(scenario.seed));
    await rm(statePath(), { force: true });
    const before = await planAddresses();
    emulator.reset();

    const { child, done } = startGroupsync([...APPLY, "--file", scenario.file], env());
    let sentAt = 0;
    const watch = setInterval(() => {
      if (sentAt === 0 && writes() >= 60) {
        sentAt = performance.now();
        child.kill(signal);
      }
    }, 1);
    const stopped = await done;
    clearInterval(watch);
    const stoppedAfterMs = performance.now() - sentAt;
    // Actions whose write was sent: one per call, but one per profile of a bulk creation.
    const { calls } = emulator.stats();
    const created = newcomers();
    const writesSent = writes() - (calls["BulkCreateCustomers"] ?? 0) + created.length;

    expect(sentAt, "the signal was sent during the writes").toBeGreaterThan(0);
    expect(stopped.signal).toBeNull();
    expect(stopped.code, stopped.stderr).toBe(exitCode);
    expect(stopped.stderr).toContain(`${signal} received: starting nothing new`);
    expect(stoppedAfterMs).toBeLessThan(5_000);
    // The summary: what was done, what was not.
    const summary =
      /Apply interrupted: (\d+) done, (\d+) failed, (\d+) not started, (\d+) skipped \(of (\d+)\)/.exec(
        stopped.stdout,
      );
    expect(summary, stopped.stdout).not.toBeNull();
    const [doneCount, failed, notStarted, skipped, total] = summary!.slice(1).map(Number) as number[];
    expect(total).toBe(before.length);
    expect(failed).toBe(0);
    expect(skipped).toBe(0);
    expect(doneCount! + notStarted!).toBe(total);
    expect(notStarted).toBeGreaterThan(0);
    // Every write sent finished (none abandoned), and nothing after the signal started.
    expect(doneCount).toBe(writesSent);
    expect(stopped.stderr).toContain(
      `Error: Interrupted (${signal}): ${notStarted} of ${total} actions were not done.`,
    );
    const doneAddresses = [...stopped.stderr.matchAll(/^ {2}✓ (\S+): /gm)].map((m) => m[1]!);
    expect(doneAddresses).toHaveLength(doneCount!);

    // The state file holds every profile created so far (search does not show them).
    expect(created).toHaveLength(NEWCOMERS);
    const state = JSON.parse(await readFile(statePath(), "utf8")) as {
      endpoints: Record<string, { createdCustomers: Array<{ id: string }> }>;
    };
    const remembered = Object.values(state.endpoints).flatMap((e) => e.createdCustomers.map((c) => c.id));
    expect(remembered.sort()).toEqual(created.map((c) => c.id).sort());

    // The next plan: exactly the actions not done.
    const doneSet = new Set(doneAddresses);
    expect(await planAddresses()).toEqual(before.filter((a) => !doneSet.has(a)));

    // Finishing: each remaining action once, nothing twice, the account exactly as the file says.
    const writesBefore = writes();
    const finished = await groupsync([...APPLY, "--file", scenario.file], env());
    expect(finished.code, finished.stderr).toBe(0);
    expect(writes() - writesBefore).toBe(notStarted);
    expect(newcomers()).toHaveLength(NEWCOMERS);
    const newcomerIds = new Set(created.map((c) => c.id));
    expect(
      membershipProblems(emulator.store.snapshot(), new Map([...expected, ["Newcomers", newcomerIds]])),
    ).toEqual([]);
  });
});

describe("a second signal", () => {
  it("exits at once, without waiting for the requests in flight", async () => {
    emulator.reset(structuredClone(scenario.seed));
    emulator.configure({ latencyMs: 3_000 });
    try {
      const { child, done } = startGroupsync([...APPLY, "--file", scenario.file], env());
      // Once a request is in flight (the first list page, held 3 s by the emulator).
      const started = performance.now();
      while (emulator.stats().total === 0 && performance.now() - started < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const secondAt = performance.now();
      child.kill("SIGTERM");
      const outcome = await done;
      expect(outcome.code).toBe(143);
      expect(performance.now() - secondAt).toBeLessThan(1_500);
      expect(outcome.stderr).toContain("SIGTERM again: stopping now.");
    } finally {
      emulator.configure({ latencyMs: { min: 15, max: 30 } });
    }
  });
});
