import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type SeedData, type SquareCustomer } from "../src/index.js";
import { call, type Reply } from "./helpers.js";

// Answers are written from JSON made per profile as the seed is loaded and kept until the
// profile changes: every change must show, in Retrieve at once and in search after the lag.

let em: Emulator | undefined;
afterEach(async () => {
  await em?.stop();
  em = undefined;
});

const GROUP = {
  id: "GROUP1",
  name: "VIP",
  created_at: "2020-01-01T00:00:00.000Z",
  updated_at: "2020-01-01T00:00:00.000Z",
};

function seedWith(...customers: SquareCustomer[]): SeedData {
  return { groups: [GROUP], customers };
}

function profile(id: string, fields: Partial<SquareCustomer> = {}): SquareCustomer {
  return {
    id,
    created_at: "2021-03-04T05:06:07.000Z",
    updated_at: "2021-03-04T05:06:07.000Z",
    given_name: "Zoë",
    email_address: `${id.toLowerCase()}@example.com`,
    preferences: { email_unsubscribed: false },
    group_ids: [GROUP.id],
    version: 0,
    ...fields,
  };
}

/** The text of a reply as the emulator wrote it (no whitespace), key order included. */
const text = (reply: Reply): string => JSON.stringify(reply.body);

const byGroup = {
  query: { filter: { group_ids: { any: [GROUP.id] } }, sort: { field: "CREATED_AT", order: "ASC" } },
};

async function searchGroup(emulator: Emulator): Promise<string> {
  return text(await call(emulator, "POST", "/v2/customers/search", byGroup));
}

async function retrieve(emulator: Emulator, id: string): Promise<string> {
  return text(await call(emulator, "GET", `/v2/customers/${id}`));
}

describe("JSON kept per profile", () => {
  it("answers with the seed's profiles exactly as given", async () => {
    const a = profile("A", { address: { locality: "Zürich", country: "CH" }, note: "🦊 ⚡" });
    const b = profile("B", { created_at: "2021-03-04T05:06:08.000Z", family_name: "Ørsted" });
    em = await startEmulator({ seed: seedWith(a, b) });
    expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [a, b] }));
    expect(await retrieve(em, "B")).toBe(JSON.stringify({ customer: b }));
    const bulk = await call(em, "POST", "/v2/customers/bulk-retrieve", { customer_ids: ["B", "A"] });
    expect(text(bulk)).toBe(JSON.stringify({ responses: { B: { customer: b }, A: { customer: a } } }));
  });

  it("shows an update of a seed profile to Retrieve at once and to search after the lag", async () => {
    const a = profile("A");
    em = await startEmulator({ seed: seedWith(a), searchLagMs: 60_000 });
    const updated = await call(em, "PUT", "/v2/customers/A", { given_name: "Ada", version: 0 });
    expect(updated.status).toBe(200);
    const now = updated.body["customer"] as SquareCustomer;
    expect(now).toMatchObject({ given_name: "Ada", version: 1 });
    // Retrieve and search read the same record in turn: each must get its own object's JSON.
    for (let i = 0; i < 2; i++) {
      expect(await retrieve(em, "A")).toBe(JSON.stringify({ customer: now }));
      expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [a] }));
    }
    em.store.flushSearch();
    expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [now] }));
    expect(await retrieve(em, "A")).toBe(JSON.stringify({ customer: now }));
  });

  it("shows a membership change of a seed profile in its JSON (version, updated_at, group_ids)", async () => {
    em = await startEmulator({ seed: seedWith(profile("A"), profile("B", { group_ids: [] })) });
    expect((await call(em, "DELETE", `/v2/customers/A/groups/${GROUP.id}`)).status).toBe(200);
    expect((await call(em, "PUT", `/v2/customers/B/groups/${GROUP.id}`)).status).toBe(200);
    const b = em.store.getCustomer("B");
    expect(b).toMatchObject({ group_ids: [GROUP.id], version: 1 });
    expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [b] }));
    const a = em.store.getCustomer("A");
    expect(a?.group_ids).toBeUndefined();
    expect(await retrieve(em, "A")).toBe(JSON.stringify({ customer: a }));
  });

  it("answers with the new data after reset(seed) and store.load(seed), the IDs being the same", async () => {
    em = await startEmulator({ seed: seedWith(profile("A")) });
    expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [profile("A")] }));
    const second = profile("A", { given_name: "Grace", version: 4 });
    em.reset(seedWith(second));
    expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [second] }));
    expect(await retrieve(em, "A")).toBe(JSON.stringify({ customer: second }));
    const third = profile("A", { given_name: "Hedy", version: 9 });
    em.store.load(seedWith(third));
    expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [third] }));
    expect(await retrieve(em, "A")).toBe(JSON.stringify({ customer: third }));
  });

  it("forgets a deleted seed profile in Retrieve at once and in search after the lag", async () => {
    const a = profile("A");
    em = await startEmulator({ seed: seedWith(a), searchLagMs: 60_000 });
    expect((await call(em, "DELETE", "/v2/customers/A")).status).toBe(200);
    expect((await call(em, "GET", "/v2/customers/A")).status).toBe(404);
    expect(await searchGroup(em)).toBe(JSON.stringify({ customers: [a] }));
    em.store.flushSearch();
    expect(await searchGroup(em)).toBe("{}");
  });
});
