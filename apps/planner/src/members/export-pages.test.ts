import { createSquareClient, type SquareClient } from "@groupsync/square";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportPages, type SliceOptions } from "./export-pages.js";

type Customer = SeedData["customers"][number];

const T0 = Date.UTC(2021, 0, 1);

/**
 * 3,000 profiles in "G": 2,000 three to a millisecond (so slice bounds fall on instants that
 * hold several), a burst of 600 in one millisecond, 400 spread thinly after it; and 500
 * profiles outside the group.
 */
function seed(): SeedData {
  const customers: Customer[] = [];
  const add = (i: number, ms: number, groups: string[]) => {
    const at = new Date(ms).toISOString();
    customers.push({
      id: `C${String(i).padStart(6, "0")}`,
      given_name: `P${i}`,
      created_at: at,
      updated_at: at,
      group_ids: groups,
      version: 0,
    } as Customer);
  };
  let i = 0;
  for (; i < 2000; i++) add(i, T0 + Math.floor(i / 3), ["G"]);
  for (; i < 2600; i++) add(i, T0 + 1_000, ["G"]);
  for (; i < 3000; i++) add(i, T0 + 1_001 + (i - 2600) * 2, ["G"]);
  for (; i < 3500; i++) add(i, T0 + (i - 3000) * 333, ["OTHER"]);
  const at = new Date(T0).toISOString();
  return {
    groups: [
      { id: "G", name: "G", created_at: at, updated_at: at },
      { id: "OTHER", name: "Other", created_at: at, updated_at: at },
    ],
    customers,
  };
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: seed(), latencyMs: 2 });
});
afterAll(async () => {
  await emulator.stop();
});

async function exportIds(options: SliceOptions): Promise<{ ids: string[]; client: SquareClient }> {
  const client = createSquareClient({ token: emulator.token, baseUrl: emulator.url });
  const ids: string[] = [];
  for await (const page of exportPages(client, { group_ids: { all: ["G"] } }, options)) {
    for (const customer of page.customers) ids.push(customer.id);
  }
  await client.close();
  return { ids, client };
}

/** The group's members oldest first, ties by ID (the emulator's order, and Square's by created_at). */
const EXPECTED = seed()
  .customers.filter((c) => c.group_ids?.includes("G"))
  .sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? "") || a.id.localeCompare(b.id))
  .map((c) => c.id);

describe("exportPages", () => {
  it("one page after another lists every member once, oldest first", async () => {
    const { ids, client } = await exportIds({ parallel: 1 });
    expect(ids).toEqual(EXPECTED);
    expect(client.stats().calls["SearchCustomers"]).toBe(EXPECTED.length / 100);
  });

  it.each([
    { parallel: 4, slicePages: 2 },
    { parallel: 3, slicePages: 1, aheadPages: 1 },
    { parallel: 8, slicePages: 3, aheadPages: 2 },
  ])("in created_at slices side by side (%o): the same list, in the same order", async (options) => {
    const { ids, client } = await exportIds(options);
    expect(ids).toEqual(EXPECTED);
    const stats = client.stats();
    expect(stats.peakConcurrency).toBeGreaterThan(1);
    // The overhead: the DESC probe and about one partial page per slice.
    expect(stats.calls["SearchCustomers"]).toBeLessThan(
      EXPECTED.length / 100 + 3 + EXPECTED.length / 100 / options.slicePages,
    );
  });

  it("a consumer that stops early stops the slices (no requests go on in the background)", async () => {
    const client = createSquareClient({ token: emulator.token, baseUrl: emulator.url });
    let pages = 0;
    for await (const page of exportPages(
      client,
      { group_ids: { all: ["G"] } },
      { parallel: 4, slicePages: 2 },
    )) {
      expect(page.customers.length).toBeGreaterThan(0);
      if (++pages === 3) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = client.stats().total;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.stats().total).toBe(after);
    expect(after).toBeLessThan(15);
    await client.close();
  });

  it("an empty result is one page, one call", async () => {
    const client = createSquareClient({ token: emulator.token, baseUrl: emulator.url });
    const pages = [];
    for await (const page of exportPages(client, { group_ids: { all: ["G", "OTHER"] } })) pages.push(page);
    expect(pages).toEqual([{ customers: [], count: 0 }]);
    expect(client.stats().total).toBe(1);
    await client.close();
  });
});
