import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cliEnv, groupsync, membershipProblems, type Outcome } from "./harness.js";
import { createScenario, type Scenario } from "./workload.js";

// Faults (issue 6): an apply as large as M's 1% drift (200 rules swapped = 400 membership
// changes, plus two groups to create) while the emulator answers 10% of requests 500/503,
// resets 2% of connections, throttles to a rate limit in bursts and has latency spikes.
// Then a plan says `No changes.`, no group exists twice, and every membership is exactly
// what groups.yaml says (checked in the emulator's store, not through search).
//
// The account is smaller than M (20,000 profiles, 20 groups, 4,000 rules at 5% drift: the same
// 200 swaps) so the suite runs in a minute; RESILIENCE_SCALE=M runs it on M itself.
const SCALE =
  process.env["RESILIENCE_SCALE"] === "M"
    ? { customers: 100_000, groups: 50, rules: 20_000, drift: 0.01 }
    : { customers: 20_000, groups: 20, rules: 4_000, drift: 0.05 };
const TOKEN = "resilience-faults-token";

let emulator: Emulator;
let scenario: Scenario;
let spikes: NodeJS.Timeout | undefined;
const log: string[] = [];

beforeAll(async () => {
  scenario = await createScenario({ ...SCALE, seed: 6, newGroups: 2, perNewGroup: 10 });
  emulator = await startEmulator({
    token: TOKEN,
    seed: structuredClone(scenario.seed),
    faultRate: 0.1,
    resetRate: 0.02,
    latencyMs: { min: 1, max: 20 },
    randomSeed: 6,
  });
  // Every second: a 250 ms latency spike (200-1,500 ms per request) on every third tick, and
  // a tight rate limit for 400 ms on every other tick, so that 429s and slow answers come in
  // bursts, as they do from the real service.
  let tick = 0;
  spikes = setInterval(() => {
    tick++;
    emulator.configure({ latencyMs: tick % 3 === 0 ? { min: 200, max: 1500 } : { min: 1, max: 20 } });
    emulator.configure({ rateLimit: tick % 2 === 0 ? 5 : undefined });
  }, 500);
});

afterAll(async () => {
  if (spikes) clearInterval(spikes);
  await emulator?.stop();
  if (scenario) await rm(scenario.dir, { recursive: true, force: true });
});

/** Runs a command until it exits 0 (at most `tries` times): a failed read aborts, a failed action is left for the next run. */
async function untilSuccess(args: string[], tries: number): Promise<{ last: Outcome; attempts: number }> {
  let last: Outcome | undefined;
  for (let attempt = 1; attempt <= tries; attempt++) {
    last = await groupsync(args, cliEnv({ url: emulator.url, token: TOKEN }));
    log.push(`${args[0]} attempt ${attempt}: exit ${last.code}`);
    if (last.code === 0) return { last, attempts: attempt };
  }
  return { last: last!, attempts: tries };
}

describe("apply under faults", () => {
  it("converges: the next plan says No changes., no duplicate group, no membership lost or doubled", async () => {
    const applied = await untilSuccess(["apply", "--file", scenario.file, "--auto-approve"], 5);
    expect(applied.last.code, applied.last.stderr).toBe(0);

    const planned = await untilSuccess(["plan", "--file", scenario.file, "--detailed-exitcode"], 3);
    expect(planned.last.code, planned.last.stdout + planned.last.stderr).toBe(0);
    expect(planned.last.stdout).toContain("No changes.");

    if (spikes) clearInterval(spikes);
    const stats = emulator.stats();
    log.push(
      `requests ${stats.total}, 5xx ${stats.faults}, 429 ${stats.rateLimited}, resets ${stats.resets}, ` +
        `writes ${(stats.calls["AddGroupToCustomer"] ?? 0) + (stats.calls["RemoveGroupFromCustomer"] ?? 0)} ` +
        `for ${scenario.changes} changes`,
    );
    console.log(`[faults] ${log.join("; ")}`);
    // The faults did happen, or this test proves nothing.
    expect(stats.faults).toBeGreaterThan(10);
    expect(stats.resets).toBeGreaterThan(0);
    expect(stats.rateLimited).toBeGreaterThan(0);

    expect(membershipProblems(emulator.store.snapshot(), scenario.expected)).toEqual([]);
  });
});
