import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cliEnv, createRandom, groupsync, membershipProblems, startGroupsync } from "./harness.js";
import { createScenario, type Scenario } from "./workload.js";

// Crash (issue 6): SIGKILL the CLI at a random, seeded moment of an apply, 20 times; each time
// apply again: the account converges (a plan says `No changes.`), no group exists twice, and
// every membership is exactly what groups.yaml says (in the emulator's store).
const RUNS = 20;
const TOKEN = "resilience-crash-token";

let emulator: Emulator;
let scenario: Scenario;
/** How long an apply of the whole drift takes here (ms), measured once. */
let applyMs = 0;
/** Four requests in flight at most: the writes then last long enough to be hit. */
const APPLY = ["apply", "--auto-approve", "--concurrency", "4"];

beforeAll(async () => {
  // 3,000 profiles, 6 groups, 600 rules at 20% drift: 120 swaps (240 membership changes) and
  // two groups to create, at 5-15 ms per call, so that an apply lasts a second or two.
  scenario = await createScenario({
    customers: 3_000,
    groups: 6,
    rules: 600,
    drift: 0.2,
    seed: 9,
    newGroups: 2,
    perNewGroup: 10,
  });
  emulator = await startEmulator({
    token: TOKEN,
    seed: structuredClone(scenario.seed),
    latencyMs: { min: 5, max: 15 },
    randomSeed: 9,
  });
  const t0 = performance.now();
  const calibration = await groupsync([...APPLY, "--file", scenario.file], env());
  applyMs = performance.now() - t0;
  expect(calibration.code, calibration.stderr).toBe(0);
});

afterAll(async () => {
  await emulator?.stop();
  if (scenario) await rm(scenario.dir, { recursive: true, force: true });
});

function env() {
  return cliEnv({ url: emulator.url, token: TOKEN });
}

function writes(): number {
  const { calls } = emulator.stats();
  return (
    (calls["AddGroupToCustomer"] ?? 0) +
    (calls["RemoveGroupFromCustomer"] ?? 0) +
    (calls["CreateCustomerGroup"] ?? 0)
  );
}

describe("SIGKILL during apply", () => {
  it(`converges after ${RUNS} kills at random points`, async () => {
    const random = createRandom(20261129);
    const report: string[] = [];
    let midWrites = 0;
    for (let run = 1; run <= RUNS; run++) {
      emulator.reset(structuredClone(scenario.seed));
      // Odd runs: at a moment drawn uniformly over the whole apply (start-up and reads included).
      // Even runs: once the emulator has counted a number of writes drawn uniformly over the
      // apply's writes, so that the kill lands among them whatever the machine's speed.
      const { child, done } = startGroupsync([...APPLY, "--file", scenario.file], env());
      const atMs = Math.round(random() * applyMs);
      const atWrite = 1 + Math.floor(random() * (scenario.changes - 1));
      const point = run % 2 === 1 ? `${atMs} ms` : `write ${atWrite}`;
      const timer =
        run % 2 === 1
          ? setTimeout(() => child.kill("SIGKILL"), atMs)
          : setInterval(() => {
              if (writes() >= atWrite) child.kill("SIGKILL");
            }, 1);
      const killed = await done;
      clearInterval(timer);
      const writesBeforeKill = writes();
      if (killed.signal === "SIGKILL" && writesBeforeKill > 0 && writesBeforeKill < scenario.changes)
        midWrites++;

      const again = await groupsync(["apply", "--file", scenario.file, "--auto-approve"], env());
      expect(again.code, `run ${run}: ${again.stderr}`).toBe(0);
      const plan = await groupsync(["plan", "--file", scenario.file, "--detailed-exitcode"], env());
      expect(plan.code, `run ${run}: ${plan.stdout}${plan.stderr}`).toBe(0);
      expect(plan.stdout).toContain("No changes.");
      expect(membershipProblems(emulator.store.snapshot(), scenario.expected), `run ${run}`).toEqual([]);
      report.push(
        `${point}: ${killed.signal === "SIGKILL" ? `killed after ${writesBeforeKill} writes` : "finished"}`,
      );
    }
    console.log(
      `[crash] an apply takes ${Math.round(applyMs)} ms; ${midWrites} of ${RUNS} kills between its first and last write; ` +
        report.join(", "),
    );
    // Enough of the kills landed between the first and the last write to prove something.
    expect(midWrites).toBeGreaterThanOrEqual(5);
  });
});
