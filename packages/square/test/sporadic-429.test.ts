import { diff } from "@groupsync/core";
import { startEmulator, type SeedData } from "@groupsync/square-emulator";
import { describe, expect, it } from "vitest";
import { applyPlan, readLiveState } from "../src/index.js";
import { customerId, desired, group } from "@groupsync/core/test-support";
import { clientFor } from "./helpers.js";

// Issue 17.7: 5% of requests answered 429 at random is not a rate limit reached. The apply
// completes with every action done, and the client neither cuts its concurrency nor paces itself.
const T0 = Date.parse("2024-01-01T00:00:00Z");
const ADDS = 300;

function seed(): SeedData {
  return {
    groups: [
      {
        id: "TEAM",
        name: "Team",
        created_at: new Date(T0).toISOString(),
        updated_at: new Date(T0).toISOString(),
      },
    ],
    customers: Array.from({ length: ADDS }, (_, i) => ({
      id: `C${String(i).padStart(4, "0")}`,
      created_at: new Date(T0 + i * 1000).toISOString(),
      updated_at: new Date(T0 + i * 1000).toISOString(),
      email_address: `p${i}@example.com`,
      group_ids: [],
      version: 0,
    })),
  };
}

describe("an apply under sporadic 429s (throttleRate 0.05)", () => {
  it("does every action, retrying each 429 on its own, with no cut and no pacing", async () => {
    const emulator = await startEmulator({ seed: seed(), throttleRate: 0.05, latencyMs: 2, randomSeed: 1 });
    // Retry waits as the CLI's (the emulator's Retry-After is 1 s): only the backoff is shortened.
    const client = clientFor(emulator);
    try {
      const team = desired([
        group("team", { name: "Team", rules: seed().customers.map((c) => customerId(c.id)) }),
      ]);
      const plan = diff(team, await readLiveState(client, team));
      expect(plan.actions).toHaveLength(ADDS);
      const result = await applyPlan(client, plan, { checkPreconditions: false });
      expect(result.results.filter((r) => r.status !== "done")).toEqual([]);
      expect(result.ok).toBe(true);
      const members = emulator.store.snapshot().customers.filter((c) => (c.group_ids ?? []).includes("TEAM"));
      expect(members).toHaveLength(ADDS);
      const stats = client.stats();
      // The 429s did happen (the emulator's count and the client's agree), and each was retried.
      expect(stats.rateLimited).toBe(emulator.stats().rateLimited);
      expect(stats.rateLimited).toBeGreaterThanOrEqual(8);
      expect(stats.retries).toBe(stats.rateLimited);
      // Sporadic: the concurrency was never cut, and starts were never paced.
      expect(stats.pacedRate).toBeUndefined();
      expect(stats.concurrencyLimit).toBe(32);
    } finally {
      await client.close();
      await emulator.stop();
    }
  });
});
