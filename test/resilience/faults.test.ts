import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cliEnv, groupsync, membershipProblems, type Outcome } from "./harness.js";
import { createScenario, type Scenario } from "./workload.js";

// Faults (issue 6): an apply as large as M's 1% drift (200 rules swapped = 400 membership
// changes, plus two groups to create) while the emulator answers 10% of requests 500/503,
// 5% 429 RATE_LIMITED, resets 2% of connections and has latency spikes. Then a plan says
// `No changes.`, no group exists twice, and every membership is exactly what groups.yaml says
// (checked in the emulator's store, not through search).
//
// The account is smaller than M (20,000 profiles, 20 groups, 4,000 rules at 5% drift: the same
// 200 swaps) so that the file runs in about three minutes; RESILIENCE_SCALE=M runs it on M
// itself. The random 429s are sporadic to the client (they do not cluster): each is retried
// on its own, and nothing is cut or paced (packages/square, "Concurrency").
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
    // 429s are a fixed share, drawn per request in a stream of their own: with randomSeed 1
    // (the default) 4.4-5.2% of any first 400 to 4,000 requests, so the share checked below
    // does not depend on how many requests a run makes.
    throttleRate: 0.05,
    resetRate: 0.02,
    latencyMs: { min: 1, max: 20 },
    randomSeed: 1,
  });
  // A latency spike (200-1,500 ms per request) for half a second out of every one and a half.
  // No token-bucket rate limit on top: its 429 share would depend on how hard the client
  // pushes, so the total would no longer be the 5% issue 6 names; the client's pacing against
  // a real bucket is what the benchmark's rate-limit run measures (docs/performance.md).
  let tick = 0;
  spikes = setInterval(() => {
    tick++;
    emulator.configure({ latencyMs: tick % 3 === 0 ? { min: 200, max: 1500 } : { min: 1, max: 20 } });
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
    const started = performance.now();
    last = await groupsync(args, cliEnv({ url: emulator.url, token: TOKEN }));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log.push(`${args[0]} attempt ${attempt}: exit ${last.code} in ${seconds} s`);
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
    const share = (n: number): string => `${((100 * n) / stats.total).toFixed(1)}%`;
    log.push(
      `requests ${stats.total}, 5xx ${stats.faults} (${share(stats.faults)}), ` +
        `429 ${stats.rateLimited} (${share(stats.rateLimited)}), resets ${stats.resets}, ` +
        `writes ${(stats.calls["AddGroupToCustomer"] ?? 0) + (stats.calls["RemoveGroupFromCustomer"] ?? 0)} ` +
        `for ${scenario.changes} changes`,
    );
    console.log(`[faults] ${log.join("; ")}`);
    // The faults did happen, or this test proves nothing.
    expect(stats.faults).toBeGreaterThan(10);
    expect(stats.resets).toBeGreaterThan(0);
    expect(stats.rateLimited / stats.total).toBeGreaterThanOrEqual(0.04);

    expect(membershipProblems(emulator.store.snapshot(), scenario.expected)).toEqual([]);
  });
});
