import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, customersOf, searchAll } from "./helpers.js";

let em: Emulator | undefined;
afterEach(async () => {
  await em?.stop();
  em = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("eventual consistency of search", () => {
  it("shows a membership change to Retrieve at once and to SearchCustomers only after the lag", async () => {
    em = await startEmulator({ searchLagMs: 500 });
    const group = (await call(em, "POST", "/v2/customers/groups", { group: { name: "VIP" } })).body[
      "group"
    ] as {
      id: string;
    };
    // ListCustomerGroups is current.
    const listed = await call(em, "GET", "/v2/customers/groups");
    expect(listed.body["groups"]).toEqual([group]);

    const created = await call(em, "POST", "/v2/customers", { email_address: "ada@example.com" });
    const id = (created.body["customer"] as { id: string }).id;
    await call(em, "PUT", `/v2/customers/${id}/groups/${group.id}`);

    const bulk = await call(em, "POST", "/v2/customers/bulk-retrieve", { customer_ids: [id] });
    expect(bulk.body["responses"]).toMatchObject({
      [id]: { customer: { group_ids: [group.id], version: 1 } },
    });
    const byGroup = { query: { filter: { group_ids: { any: [group.id] } } } };
    expect(await searchAll(em, byGroup)).toEqual([]);
    expect(
      await searchAll(em, { query: { filter: { email_address: { exact: "ada@example.com" } } } }),
    ).toEqual([]);
    expect(em.store.pendingSearchChanges()).toBe(2);

    await sleep(550);
    expect(await searchAll(em, byGroup)).toEqual([id]);
    const reply = await call(em, "POST", "/v2/customers/search", byGroup);
    expect(customersOf(reply)[0]).toMatchObject({ version: 1, group_ids: [group.id] });
  });

  it("keeps showing the old snapshot (stale group_ids) until the lag passes", async () => {
    em = await startEmulator({ searchLagMs: 0 });
    const group = em.store.addGroup("VIP");
    const ada = em.store.addCustomer({ given_name: "Ada", group_ids: [group.id] });
    em.configure({ searchLagMs: 10_000 });
    await call(em, "DELETE", `/v2/customers/${ada.id}/groups/${group.id}`);
    const reply = await call(em, "POST", "/v2/customers/search", {
      query: { filter: { group_ids: { any: [group.id] } } },
    });
    expect(customersOf(reply)).toEqual([{ ...ada }]);
    expect(em.store.getCustomer(ada.id)?.group_ids).toBeUndefined();
    em.store.flushSearch();
    const after = await call(em, "POST", "/v2/customers/search", {
      query: { filter: { group_ids: { any: [group.id] } } },
    });
    expect(after.body).toEqual({});
  });

  it("draws a random lag per change but applies one profile's changes in order", async () => {
    em = await startEmulator({ searchLagMs: { min: 50, max: 700 }, randomSeed: 7 });
    const group = em.store.addGroup("VIP");
    em.store.flushSearch();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(em.store.addCustomer({ given_name: `P${i}` }).id);
    for (const id of ids) {
      await call(em, "PUT", `/v2/customers/${id}/groups/${group.id}`);
      await call(em, "DELETE", `/v2/customers/${id}/groups/${group.id}`);
      await call(em, "PUT", `/v2/customers/${id}/groups/${group.id}`);
    }
    const seen: number[] = [];
    for (let t = 0; t < 8; t++) {
      const reply = await call(em, "POST", "/v2/customers/search", { count: true, query: {} });
      seen.push((reply.body["count"] as number | undefined) ?? 0);
      await sleep(100);
    }
    // Profiles appear at different times (random lag), and never disappear again.
    expect(seen.some((n) => n > 0 && n < 20)).toBe(true);
    expect(seen.every((n, i) => i === 0 || n >= (seen[i - 1] as number))).toBe(true);
    await sleep(700);
    expect(await searchAll(em, { query: { filter: { group_ids: { any: [group.id] } } } })).toHaveLength(20);
  });
});
