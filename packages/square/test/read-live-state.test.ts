import { diff } from "@groupsync/core";
import { startEmulator, type Emulator, type SeedData, type SquareCustomer } from "@groupsync/square-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  readAndPlan,
  readLiveState,
  SquareServerError,
  type ReadProgressEvent,
  type SquareClient,
} from "../src/index.js";
import { customerId, desired, domain, email, group, phone } from "@groupsync/core/test-support";
import { callsSeen, clientFor, rejectionOf } from "./helpers.js";

const T0 = Date.parse("2024-01-01T00:00:00Z");
const at = (i: number) => new Date(T0 + i * 60_000).toISOString();

/**
 * 60 groups (two ListCustomerGroups pages); VIP has 150 members found by email, PHONES 30 by
 * phone, BIG 450; 80 profiles in no group, some at example.org.
 */
function seed(): SeedData {
  const groups = Array.from({ length: 60 }, (_, i) => ({
    id: i === 0 ? "VIP" : i === 1 ? "PHONES" : i === 2 ? "BIG" : `G${i}`,
    name: i === 0 ? "VIP" : i === 1 ? "Phones" : i === 2 ? "Big" : `Other ${i}`,
    created_at: at(0),
    updated_at: at(0),
  }));
  const customers: SquareCustomer[] = [];
  const add = (id: string, fields: Partial<SquareCustomer>) =>
    customers.push({
      id,
      created_at: at(customers.length),
      updated_at: at(customers.length),
      version: 0,
      ...fields,
    });
  for (let i = 0; i < 150; i++) add(`V${i}`, { email_address: `Vip${i}@Example.com`, group_ids: ["VIP"] });
  for (let i = 0; i < 30; i++)
    add(`P${i}`, {
      phone_number: `+1 415-555-${String(1000 + i)}`,
      given_name: `P${i}`,
      group_ids: ["PHONES"],
    });
  for (let i = 0; i < 450; i++) add(`B${i}`, { email_address: `big${i}@example.net`, group_ids: ["BIG"] });
  for (let i = 0; i < 80; i++)
    add(`N${i}`, { email_address: `none${i}@${i % 4 === 0 ? "example.org" : "elsewhere.com"}` });
  add("X0", { email_address: "org.example.fan@mail.com" });
  return { groups, customers };
}

const vipRules = Array.from({ length: 150 }, (_, i) => email(`vip${i}@example.com`));
const phoneRules = [...Array.from({ length: 29 }, (_, i) => phone(`+1415555${1000 + i}`)), customerId("P29")];

/**
 * 18 groups of the first list page (VIP, Phones, Big and 15 empty ones): at least parallelism / 2,
 * so their pages start before the second list page has answered.
 */
function firstPageGroups() {
  const others = Array.from({ length: 15 }, (_, i) => group(`other-${i + 3}`, { name: `Other ${i + 3}` }));
  return desired([
    group("vip", { name: "VIP", rules: vipRules }),
    group("phones", { name: "Phones", rules: phoneRules }),
    group("big", { name: "Big", membership: "additive" }),
    ...others,
  ]);
}

let emulator: Emulator;
let client: SquareClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: seed(), randomSeed: 11 });
});
afterAll(async () => {
  await client?.close();
  await emulator.stop();
});
beforeEach(async () => {
  await client?.close();
  emulator.configure({ faultRate: 0, resetRate: 0 });
  emulator.reset(seed());
  client = clientFor(emulator);
});

describe("readLiveState: the cost floor of DESIGN.md §7", () => {
  it("a plan without drift reads list pages + group search pages, and makes no look-up", async () => {
    const state = desired([
      group("vip", { name: "VIP", rules: vipRules }),
      group("phones", { name: "Phones", rules: phoneRules }),
    ]);
    const events: ReadProgressEvent[] = [];
    const live = await readLiveState(client, state, { onProgress: (e) => events.push(e) });
    expect(diff(state, live).actions).toEqual([]);
    // 60 groups: 2 pages of 50. VIP: 150 members, 2 pages of 100; Phones: 30, 1 page.
    expect(callsSeen(emulator)).toEqual({ ListCustomerGroups: 2, SearchCustomers: 3 });
    expect(client.stats().total).toBe(5);
    expect(live.profiles).toHaveLength(180);
    const members = events.filter((e) => e.phase === "members");
    expect(members.at(-1)).toMatchObject({ done: 2, total: 2, profiles: 180 });
    expect(members.map((e) => e.profiles)).toContain(100); // page by page
    expect(events.filter((e) => e.phase === "groups").map((e) => e.done)).toEqual([1, 2]);
  });

  it("looks up only the unsatisfied rules, then verifies the candidates with BulkRetrieve", async () => {
    const rules = [
      ...vipRules.slice(1),
      email("none1@elsewhere.com"),
      email("nobody@nowhere.com"),
      phone("+14155551005"),
      customerId("N2"),
      domain("example.org"),
    ];
    const state = desired([group("vip", { name: "VIP", rules })]);
    const live = await readLiveState(client, state);
    const plan = diff(state, live);
    const adds = plan.actions.filter((a) => a.type === "add_member").map((a) => a.address);
    const removes = plan.actions.filter((a) => a.type === "remove_member");
    // none1, P5 by phone, N2 by ID, the 20 profiles at example.org; vip0 goes.
    expect(adds).toHaveLength(3 + 20);
    expect(removes).toHaveLength(1);
    // The fuzzy domain search also finds org.example.fan@mail.com; only @example.org is kept.
    expect(live.profiles.some((p) => p.id === "X0")).toBe(false);
    // 2 list pages; 2 VIP pages; 4 searches (2 emails, 1 phone, 1 fuzzy domain page);
    // BulkRetrieve: 1 for the ID rule, 1 for the 24 candidates.
    expect(callsSeen(emulator)).toEqual({
      ListCustomerGroups: 2,
      SearchCustomers: 2 + 4,
      BulkRetrieveCustomers: 2,
    });
  });

  it("readAndPlan returns the diff of what it read, whether verification changed the state or not", async () => {
    const rules = [...vipRules.slice(1), email("none1@elsewhere.com"), customerId("N2")];
    const state = desired([
      group("vip", { name: "VIP", rules }),
      group("phones", { name: "Phones", rules: phoneRules }),
    ]);
    const confirmed = await readAndPlan(client, state);
    expect(confirmed.plan).toEqual(diff(state, confirmed.live));
    expect(confirmed.plan.actions).toHaveLength(3);
    // Search lags: it still lists vip0 in VIP, BulkRetrieve says it left. The plan says so too.
    emulator.store.setSearchLag(60_000);
    emulator.store.setMembership("V0", "VIP", false);
    const corrected = await readAndPlan(client, state);
    expect(corrected.plan).toEqual(diff(state, corrected.live));
    expect(corrected.plan.actions.map((a) => a.type).sort()).toEqual(["add_member", "add_member"]);
  });

  it("scans the account instead when that takes fewer calls than the look-ups", async () => {
    const rules = Array.from({ length: 40 }, (_, i) =>
      email(`none${i}@${i % 4 === 0 ? "example.org" : "elsewhere.com"}`),
    );
    const state = desired([group("phones", { name: "Phones", rules: [...phoneRules, ...rules] })]);
    const live = await readLiveState(client, state);
    const plan = diff(state, live);
    expect(plan.actions.filter((a) => a.type === "add_member")).toHaveLength(40);
    // 2 list pages; 1 Phones page; 1 count probe; 711 profiles = 8 scan pages; 1 BulkRetrieve.
    expect(callsSeen(emulator)).toEqual({
      ListCustomerGroups: 2,
      SearchCustomers: 1 + 1 + 8,
      BulkRetrieveCustomers: 1,
    });
  });

  it("splits a large group into created_at ranges searched in parallel, losing nobody", async () => {
    const rules = Array.from({ length: 450 }, (_, i) => email(`big${i}@example.net`));
    const state = desired([group("big", { name: "Big", rules })]);
    const live = await readLiveState(client, state, { splitPages: 1, maxSplits: 4 });
    expect(live.profiles.map((p) => p.id).sort()).toEqual(
      Array.from({ length: 450 }, (_, i) => `B${i}`).sort(),
    );
    expect(diff(state, live).actions).toEqual([]);
    // oldest page + newest page + 3 ranges of about 83 members: 5 calls, the same as paging.
    expect(emulator.stats().calls["SearchCustomers"]).toBe(5);
    expect(client.stats().peakConcurrency).toBeGreaterThanOrEqual(2);
  });

  it("starts a group's look-ups as soon as that group is read, while longer groups are still paging", async () => {
    // Big pages one after another (no split): 5 pages. Phones: 1 page, then its look-ups.
    const bigRules = Array.from({ length: 450 }, (_, i) => email(`big${i}@example.net`));
    const extra = [email("none1@elsewhere.com"), email("none2@elsewhere.com"), customerId("N3")];
    const state = desired([
      group("big", { name: "Big", rules: bigRules }),
      group("phones", { name: "Phones", rules: [...phoneRules, ...extra] }),
    ]);
    emulator.configure({ latencyMs: 20 });
    try {
      const events: ReadProgressEvent[] = [];
      const live = await readLiveState(client, state, { splitPages: 100, onProgress: (e) => events.push(e) });
      const firstLookup = events.findIndex((e) => e.phase === "lookups");
      const allGroupsRead = events.findIndex((e) => e.phase === "members" && e.done === 2);
      expect(firstLookup).toBeGreaterThanOrEqual(0);
      expect(firstLookup).toBeLessThan(allGroupsRead);
      expect(diff(state, live).actions.filter((a) => a.type === "add_member")).toHaveLength(3);
      // 2 list pages; Big 5 + Phones 1 pages; 2 email look-ups; BulkRetrieve: the ID rule, the 3 candidates.
      expect(callsSeen(emulator)).toEqual({
        ListCustomerGroups: 2,
        SearchCustomers: 6 + 2,
        BulkRetrieveCustomers: 2,
      });
    } finally {
      emulator.configure({ latencyMs: 0 });
    }
  });

  it("starts reading groups the file manages while the group list is still paging", async () => {
    const state = firstPageGroups();
    const answered: string[] = [];
    await client.close();
    client = clientFor(emulator, { logger: (line) => answered.push(line.split(" ")[1] ?? "") });
    emulator.configure({ latencyMs: 20 });
    try {
      const { plan } = await readAndPlan(client, state);
      expect(plan.actions).toEqual([]);
      const lastListPage = answered.findLastIndex((path) => path.startsWith("/v2/customers/groups"));
      const firstSearch = answered.findIndex((path) => path === "/v2/customers/search");
      expect(firstSearch).toBeGreaterThanOrEqual(0);
      expect(firstSearch).toBeLessThan(lastListPage);
      // Still the floor: 2 list pages; VIP 2, Phones 1, Big 5 pages (450 members), 15 x 1.
      expect(callsSeen(emulator)).toEqual({ ListCustomerGroups: 2, SearchCustomers: 2 + 1 + 5 + 15 });
    } finally {
      emulator.configure({ latencyMs: 0 });
    }
  });

  it("drops the pages of a group read early that the complete list leaves unmanaged", async () => {
    // Big is on the first list page and starts early; a second "Big" on the second page makes the
    // name ambiguous (an error): Big's members, read or not, are not part of the state.
    const twoBigs = seed();
    twoBigs.groups = twoBigs.groups.map((g) => (g.id === "G55" ? { ...g, name: "Big" } : g));
    emulator.reset(twoBigs);
    const state = firstPageGroups();
    emulator.configure({ latencyMs: 20 });
    try {
      const { live, plan } = await readAndPlan(client, state);
      // VIP 2 pages, Phones 1, the others 1 each, and Big's 5, read early.
      expect(callsSeen(emulator).SearchCustomers).toBe(2 + 1 + 15 + 5);
      expect(plan.errors.map((e) => e.message).join("\n")).toMatch(/Big/);
      expect(live.profiles.filter((p) => p.id.startsWith("B"))).toEqual([]);
      expect(live.profiles.filter((p) => p.id.startsWith("V"))).toHaveLength(150);
    } finally {
      emulator.configure({ latencyMs: 0 });
    }
  });

  it("plans a profile that changed between two groups' reads from its last read", async () => {
    emulator.store.setSearchLag(0);
    const zed = emulator.store.addCustomer({ email_address: "zed@example.com" });
    emulator.store.setMembership(zed.id, "PHONES", true);
    emulator.store.setMembership(zed.id, "BIG", true);
    const state = desired([
      group("phones", { name: "Phones", rules: [...phoneRules, email("zed@example.com")] }),
      group("big", { name: "Big", membership: "additive" }),
    ]);
    emulator.configure({ latencyMs: 20 });
    try {
      // Phones (1 page) is read with zed in it; zed then leaves Phones; Big's last page (zed is
      // its newest member) shows zed in Big only. The plan must put zed back into Phones.
      const { plan } = await readAndPlan(client, state, {
        splitPages: 100,
        onProgress: (e) => {
          if (e.phase === "members" && e.done === 1) emulator.store.setMembership(zed.id, "PHONES", false);
        },
      });
      const adds = plan.actions.flatMap((a) => (a.type === "add_member" ? [a.customer] : []));
      expect(adds).toEqual([{ id: zed.id }]);
    } finally {
      emulator.configure({ latencyMs: 0 });
    }
  });

  it("waits for the whole list when few groups would start early (their split depends on the count)", async () => {
    const state = desired([
      group("vip", { name: "VIP", rules: vipRules }),
      group("phones", { name: "Phones", rules: phoneRules }),
    ]);
    const answered: string[] = [];
    await client.close();
    client = clientFor(emulator, { logger: (line) => answered.push(line.split(" ")[1] ?? "") });
    await readLiveState(client, state);
    const lastListPage = answered.findLastIndex((path) => path.startsWith("/v2/customers/groups"));
    expect(answered.findIndex((path) => path === "/v2/customers/search")).toBe(lastListPage + 1);
  });

  it("fails as a whole when a look-up fails after its retries, after the groups were read", async () => {
    const rules = Array.from({ length: 10 }, (_, i) => email(`none${i}@elsewhere.com`));
    const state = desired([group("phones", { name: "Phones", rules: [...phoneRules, ...rules] })]);
    await client.close();
    client = clientFor(emulator, { retry: { maxAttempts: 1 } });
    // The list and the group page succeed; then every call fails.
    const reading = readLiveState(client, state, {
      onProgress: (e) => {
        if (e.phase === "members" && e.done === 1) emulator.configure({ faultRate: 1 });
      },
    });
    const error = await rejectionOf(reading);
    expect(error).toBeInstanceOf(SquareServerError);
  });

  it("passes knownProfileIds to BulkRetrieve even when search does not list them", async () => {
    const state = desired([group("vip", { name: "VIP", rules: vipRules })]);
    emulator.store.setSearchLag(60_000);
    const created = emulator.store.addCustomer({ email_address: "fresh@example.com" });
    emulator.store.setMembership(created.id, "VIP", true);
    const live = await readLiveState(client, state, { knownProfileIds: [created.id] });
    expect(live.profiles.find((p) => p.id === created.id)?.groupIds).toEqual(["VIP"]);
    expect(diff(state, live).actions.map((a) => a.type)).toEqual(["remove_member"]);
  });

  it("fails as a whole when a read fails after its retries: never a partial state", async () => {
    emulator.configure({ faultRate: 0.5 });
    await client.close();
    client = clientFor(emulator, { retry: { maxAttempts: 1 } });
    const state = desired([
      group("vip", { name: "VIP", rules: vipRules }),
      group("phones", { name: "Phones", rules: phoneRules }),
    ]);
    const error = await rejectionOf(readLiveState(client, state));
    expect(error).toBeInstanceOf(SquareServerError);
  });
});
