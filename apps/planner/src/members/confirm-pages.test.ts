import { createSquareClient } from "@groupsync/square";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmPages, type Confirmation } from "./confirm-pages.js";
import { exportPages } from "./export-pages.js";

type Customer = SeedData["customers"][number];

const T0 = Date.UTC(2022, 0, 1);
const id = (i: number) => `C${String(i).padStart(5, "0")}`;

/** 2,500 members of "G" (25 pages; with slices of 2 pages, fetched side by side). */
function seed(): SeedData {
  const at = new Date(T0).toISOString();
  const customers = Array.from({ length: 2_500 }, (_, i) => {
    const created = new Date(T0 + i * 10).toISOString();
    return {
      id: id(i),
      given_name: `P${i}`,
      created_at: created,
      updated_at: created,
      group_ids: ["G"],
      version: 0,
    } as Customer;
  });
  return { groups: [{ id: "G", name: "G", created_at: at, updated_at: at }], customers };
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: seed() });
});
afterAll(async () => {
  await emulator.stop();
});

describe("confirmPages", () => {
  it("drops, in order, who left or was deleted while search lags, and counts them", async () => {
    emulator.store.setSearchLag(600_000);
    const left = [3, 750, 1_999];
    const deleted = [0, 1_200];
    const renamed = [42, 2_499];
    for (const i of left) emulator.store.setMembership(id(i), "G", false);
    for (const i of deleted) emulator.store.deleteCustomer(id(i));
    for (const i of renamed) emulator.store.updateCustomer(id(i), { given_name: "Renamed" });

    const client = createSquareClient({ token: emulator.token, baseUrl: emulator.url });
    const filter = { all: ["G"] };
    const counts: Confirmation = { confirmed: 0, noLongerMatching: 0, deleted: 0, updated: 0 };
    const listed: Customer[] = [];
    const pages = exportPages(client, { group_ids: filter }, { parallel: 4, slicePages: 2 });
    for await (const page of confirmPages(client, pages, filter, counts, 3)) {
      listed.push(...(page.customers as Customer[]));
    }
    await client.close();

    const gone = new Set([...left, ...deleted].map(id));
    const expected = seed()
      .customers.map((c) => c.id)
      .filter((c) => !gone.has(c));
    expect(listed.map((c) => c.id)).toEqual(expected);
    expect(listed.filter((c) => c.given_name === "Renamed").map((c) => c.id)).toEqual(renamed.map(id));
    expect(counts).toEqual({ confirmed: expected.length, noLongerMatching: 3, deleted: 2, updated: 2 });
    const calls = client.stats().calls;
    // One BulkRetrieve per page listed; pages hold at most 100 profiles.
    expect(calls["BulkRetrieveCustomers"]).toBeGreaterThanOrEqual(25);
    expect(calls["BulkRetrieveCustomers"]).toBeLessThanOrEqual((calls["SearchCustomers"] ?? 0) - 1);
    expect(client.stats().peakConcurrency).toBeGreaterThan(1);
  });
});
