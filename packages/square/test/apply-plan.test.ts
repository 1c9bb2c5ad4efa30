import { diff, type Plan } from "@groupsync/core";
import { startEmulator, type Emulator, type SeedData, type SquareCustomer } from "@groupsync/square-emulator";
import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APPLY_ORDER,
  APPLY_PHASES,
  applyPlan,
  checkPreconditions,
  readLiveState,
  renameGroup,
  SquareStalePlanError,
  type SquareClient,
} from "../src/index.js";
import { desired, email, group, phone } from "@groupsync/core/test-support";
import { callsSeen, clientFor, rejectionOf } from "./helpers.js";

const T0 = Date.parse("2024-01-01T00:00:00Z");
const at = (i: number) => new Date(T0 + i * 60_000).toISOString();
const WRITES = [
  "CreateCustomerGroup",
  "UpdateCustomerGroup",
  "DeleteCustomerGroup",
  "CreateCustomer",
  "BulkCreateCustomers",
  "AddGroupToCustomer",
  "RemoveGroupFromCustomer",
];

function seed(): SeedData {
  const customers: SquareCustomer[] = ["ada", "bob", "cy", "dee", "eve"].map((name, i) => ({
    id: name.toUpperCase(),
    created_at: at(i),
    updated_at: at(i),
    email_address: `${name}@example.com`,
    group_ids: name === "ada" || name === "bob" ? ["VIP"] : [],
    version: 0,
  }));
  return {
    groups: [
      { id: "VIP", name: "VIP", created_at: at(0), updated_at: at(0) },
      { id: "OLD", name: "Old name", created_at: at(0), updated_at: at(0) },
    ],
    customers,
  };
}

/** VIP: keep ada, add cy, create new@ and add it, remove bob; Fresh: create with dee; rename Old name. */
const state = desired([
  group("vip", {
    name: "VIP",
    rules: [email("ada@example.com"), email("cy@example.com"), email("new@example.com")],
    missing: "create",
  }),
  group("fresh", { name: "Fresh", rules: [email("dee@example.com")] }),
  group("renamed", { name: "New name", previously: ["Old name"], membership: "additive" }),
]);

let emulator: Emulator;
let client: SquareClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: seed(), randomSeed: 5 });
});
afterAll(async () => {
  await client?.close();
  await emulator.stop();
});
beforeEach(async () => {
  await client?.close();
  emulator.configure({ faultRate: 0, resetRate: 0, searchLagMs: 0, latencyMs: 0 });
  emulator.reset(seed());
  client = clientFor(emulator);
});

async function plan(options: { knownProfileIds?: readonly string[] } = {}): Promise<Plan> {
  return diff(state, await readLiveState(client, state, options));
}

function writesSeen(): number {
  return WRITES.reduce((sum, op) => sum + (emulator.stats().calls[op] ?? 0), 0);
}

describe("applyPlan", () => {
  it("applies in order, and a plan right after says no changes while search lags 30 s", async () => {
    emulator.configure({ searchLagMs: 30_000 });
    const first = await plan();
    expect(first.actions.map((a) => a.type)).toEqual([
      "create_group",
      "rename_group",
      "create_customer",
      "add_member",
      "add_member",
      "add_member",
      "remove_member",
    ]);
    const progress: string[] = [];
    const createdAsWeGo: string[] = [];
    const result = await applyPlan(client, first, {
      onProgress: (e) => {
        if (e.phase === "apply") progress.push(e.address);
        if (e.phase === "apply" && e.result.type === "create_customer" && e.result.createdId !== undefined) {
          createdAsWeGo.push(e.result.createdId);
        }
      },
    });
    expect(result.results.map((r) => r.status)).toEqual(Array(7).fill("done"));
    expect(result.ok).toBe(true);
    expect(result.mismatches).toEqual([]);
    expect(result.createdCustomerIds).toHaveLength(1);
    expect(progress).toHaveLength(7);
    expect(createdAsWeGo).toEqual(result.createdCustomerIds);
    expect(emulator.store.pendingSearchChanges()).toBeGreaterThan(0);

    emulator.reset();
    const again = await plan({ knownProfileIds: result.createdCustomerIds });
    expect(again.actions).toEqual([]);
    expect(emulator.store.pendingSearchChanges()).toBeGreaterThan(0);
  });

  it("applies the phases in DESIGN.md §4 order", () => {
    expect(APPLY_PHASES.flat()).toEqual(APPLY_ORDER);
  });

  it("starts the removes once every add has started, without waiting for the last adds to answer", async () => {
    const ins = Array.from({ length: 12 }, (_, i) =>
      emulator.store.addCustomer({ email_address: `in${i}@x.com` }),
    );
    for (const c of ins) emulator.store.setMembership(c.id, "VIP", true);
    for (let i = 0; i < 12; i++) emulator.store.addCustomer({ email_address: `out${i}@x.com` });
    const moving = desired([
      group("vip", {
        name: "VIP",
        rules: [email("ada@example.com"), ...ins.map((_, i) => email(`out${i}@x.com`))],
      }),
    ]);
    const timeline: string[] = [];
    const agent = new Agent({ connections: 4 });
    const dispatcher = agent.compose((dispatch) => (options, handler) => {
      timeline.push(`sent ${options.method ?? ""}`);
      return dispatch(options, handler);
    });
    await client.close();
    client = clientFor(emulator, { dispatcher, maxConcurrency: 4 });
    const planned = diff(moving, await readLiveState(client, moving));
    // bob and the 12 ins leave; the 12 outs join.
    expect(planned.actions.filter((a) => a.type === "add_member")).toHaveLength(12);
    expect(planned.actions.filter((a) => a.type === "remove_member")).toHaveLength(13);
    emulator.configure({ latencyMs: 10 });
    timeline.length = 0;
    const result = await applyPlan(client, planned, {
      concurrency: 4,
      checkPreconditions: false,
      verify: false,
      onProgress: (e) => {
        if (e.phase === "apply") timeline.push(`done ${e.result.type}`);
      },
    });
    expect(result.ok).toBe(true);
    // Every add is sent before the first remove, and the first remove before the last add answers.
    expect(timeline.lastIndexOf("sent PUT")).toBeLessThan(timeline.indexOf("sent DELETE"));
    expect(timeline.indexOf("sent DELETE")).toBeLessThan(timeline.lastIndexOf("done add_member"));
    expect(diff(moving, await readLiveState(client, moving)).actions).toEqual([]);
    await client.close();
    await agent.close();
  });

  it("never makes a second profile for the same person, even when a later plan still misses it", async () => {
    emulator.configure({ searchLagMs: 30_000 });
    const first = await plan();
    const result = await applyPlan(client, first);
    // Without knownProfileIds, search does not show new@ yet: the plan wants to create it again...
    const blind = await plan();
    expect(blind.actions.map((a) => a.type)).toContain("create_customer");
    const second = await applyPlan(client, blind, { checkPreconditions: false });
    // ...and the same idempotency key gives back the profile the first apply made.
    expect(second.createdCustomerIds).toEqual(result.createdCustomerIds);
    const snapshot = emulator.store.snapshot();
    expect(snapshot.customers.filter((c) => c.email_address === "new@example.com")).toHaveLength(1);
  });

  it("creates each group once when connections reset after Square applied the request", async () => {
    const many = desired(Array.from({ length: 12 }, (_, i) => group(`g${i}`, { name: `Group ${i}` })));
    const live = await readLiveState(client, many);
    const p = diff(many, live);
    emulator.configure({ resetRate: 0.5 });
    const result = await applyPlan(client, p);
    emulator.configure({ resetRate: 0 });
    expect(result.ok).toBe(true);
    expect(emulator.stats().resets).toBeGreaterThan(0);
    expect(client.stats().networkErrors).toBe(emulator.stats().resets);
    expect(client.stats().calls["CreateCustomerGroup"]).toBeGreaterThan(12);
    const names = emulator.store.groups().map((g) => g.name);
    for (let i = 0; i < 12; i++) expect(names.filter((n) => n === `Group ${i}`)).toHaveLength(1);
  });

  it("after a timeout, applying the same plan again returns the group the timed-out call made", async () => {
    const one = desired([group("late", { name: "Late group" })]);
    const p = diff(one, await readLiveState(client, one));
    emulator.configure({ latencyMs: 150 });
    const impatient = clientFor(emulator, {
      requestTimeoutMs: 50,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const timedOut = await applyPlan(impatient, p, {
      verify: false,
      checkPreconditions: false,
    });
    await impatient.close();
    expect(timedOut.results[0]).toMatchObject({ status: "failed", error: { code: "GS_SQUARE_TIMEOUT" } });
    // Square still finishes what it was sent.
    for (let i = 0; i < 100 && !emulator.store.groups().some((g) => g.name === "Late group"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    emulator.configure({ latencyMs: 0 });
    expect(emulator.store.groups().filter((g) => g.name === "Late group")).toHaveLength(1);
    // The group exists now, so the saved plan is stale; a retry of the same apply (same key) is safe.
    const retried = await applyPlan(client, p, { checkPreconditions: false });
    expect(retried.results[0]).toMatchObject({ status: "done" });
    expect(emulator.store.groups().filter((g) => g.name === "Late group")).toHaveLength(1);
    expect(retried.createdGroupIds["group.late"]).toBe(
      emulator.store.groups().find((g) => g.name === "Late group")?.id,
    );
  });

  it("creates a group anew when the one its key made was deleted since", async () => {
    const one = desired([group("again", { name: "Again", rules: [email("eve@example.com")] })]);
    const first = await applyPlan(client, diff(one, await readLiveState(client, one)));
    const firstId = first.createdGroupIds["group.again"] ?? "";
    expect(firstId).not.toBe("");
    // The group is deleted (removed from the file, or by hand), then asked for again.
    await client.send({
      operation: "DeleteCustomerGroup",
      method: "DELETE",
      path: `/v2/customers/groups/${firstId}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    emulator.reset();
    const again = await applyPlan(client, diff(one, await readLiveState(client, one)));
    expect(again.ok).toBe(true);
    const secondId = again.createdGroupIds["group.again"];
    expect(secondId).not.toBe(firstId);
    expect(
      emulator.store
        .groups()
        .filter((g) => g.name === "Again")
        .map((g) => g.id),
    ).toEqual([secondId]);
    expect(emulator.store.getCustomer("EVE")?.group_ids).toEqual([secondId]);
    // Square's remembered answer, a look-up that finds it gone, and the creation under the next key.
    expect(callsSeen(emulator)["CreateCustomerGroup"]).toBe(2);
    expect(callsSeen(emulator)["RetrieveCustomerGroup"]).toBe(1);
  });

  it("refuses a stale saved plan as a whole, writing nothing", async () => {
    const saved = await plan();
    expect(await checkPreconditions(client, saved)).toEqual([]);
    emulator.store.setMembership("BOB", "VIP", false);
    emulator.store.setMembership("CY", "VIP", true);
    await renameGroup(client, "OLD", "Other");
    emulator.store.addGroup("Fresh");
    emulator.reset();
    const error = await rejectionOf(applyPlan(client, saved));
    expect(error).toBeInstanceOf(SquareStalePlanError);
    const codes = (error as SquareStalePlanError).reasons.map((r) => r.code).sort();
    expect(codes).toEqual([
      "GS_SQUARE_STALE_GROUP_NAME_TAKEN",
      "GS_SQUARE_STALE_GROUP_RENAMED",
      "GS_SQUARE_STALE_MEMBERSHIP_CHANGED",
      "GS_SQUARE_STALE_MEMBERSHIP_CHANGED",
    ]);
    expect((error as SquareStalePlanError).hint).toMatch(/plan/);
    expect(writesSeen()).toBe(0);
    // One batched check: the groups, every profile added or removed, one search per creation.
    expect(callsSeen(emulator)).toEqual({
      ListCustomerGroups: 1,
      BulkRetrieveCustomers: 1,
      SearchCustomers: 1,
    });
    // A plan saved without `preconditions` (older core): derived from its actions, same verdict.
    const { preconditions: _ignored, ...legacy } = saved;
    const derived = (await checkPreconditions(client, legacy)).map((r) => r.code).sort();
    expect(derived).toEqual(codes);
  });

  it("refuses a saved plan whose creation someone made meanwhile, or whose added profile changed", async () => {
    const saved = await plan();
    expect(saved.preconditions?.absentProfiles).toEqual([{ kind: "email", value: "new@example.com" }]);
    expect(saved.preconditions?.matches).toEqual([
      { customerId: "CY", kind: "email", value: "cy@example.com" },
      { customerId: "DEE", kind: "email", value: "dee@example.com" },
    ]);
    // Someone signs up at the point of sale as New@Example.com; cy's email changes.
    const walkIn = emulator.store.addCustomer({ email_address: "New@Example.com" });
    emulator.store.updateCustomer("CY", { email_address: "cy@example.org" });
    emulator.reset();
    const error = await rejectionOf(applyPlan(client, saved));
    expect(error).toBeInstanceOf(SquareStalePlanError);
    expect((error as SquareStalePlanError).reasons).toEqual([
      {
        code: "GS_SQUARE_STALE_PROFILE_CHANGED",
        customerId: "CY",
        message: "profile CY no longer matches cy@example.com, the rule that selected it",
      },
      {
        code: "GS_SQUARE_STALE_PROFILE_EXISTS",
        customerId: walkIn.id,
        message: `a profile with new@example.com exists now (${walkIn.id}); the plan would create a second one`,
      },
    ]);
    expect(writesSeen()).toBe(0);
  });

  it("still accepts a profile whose email or phone is only written differently", async () => {
    const phoned = desired([group("vip", { name: "VIP", rules: [phone("+14155550100")] })]);
    emulator.store.updateCustomer("EVE", { phone_number: "+1 415-555-0100" });
    const saved = diff(phoned, await readLiveState(client, phoned));
    expect(saved.preconditions?.matches).toEqual([
      { customerId: "EVE", kind: "phone", value: "+14155550100" },
    ]);
    emulator.store.updateCustomer("EVE", { phone_number: "(415) 555 0100" });
    expect(await checkPreconditions(client, saved)).toEqual([]);
  });

  it("reports a partial failure per action, skips dependants, and the next plan shows exactly what is left", async () => {
    const withBadGroup = desired([
      ...state.groups,
      group("toolong", { name: "x".repeat(300), rules: [email("eve@example.com")] }),
    ]);
    const p = diff(withBadGroup, await readLiveState(client, withBadGroup));
    emulator.store.deleteCustomer("CY");
    const result = await applyPlan(client, p, { checkPreconditions: false });
    const byAddress = Object.fromEntries(result.results.map((r) => [r.address, r]));
    expect(result.ok).toBe(false);
    expect(byAddress["group.toolong"]).toMatchObject({
      status: "failed",
      error: { code: "GS_SQUARE_BAD_REQUEST", status: 400 },
    });
    expect(byAddress['member.toolong["eve@example.com"]']).toMatchObject({
      status: "skipped",
      error: { code: "GS_SQUARE_DEPENDENCY_FAILED" },
    });
    expect(byAddress['member.vip["cy@example.com"]']).toMatchObject({
      status: "failed",
      error: { code: "GS_SQUARE_NOT_FOUND", squareCode: "NOT_FOUND" },
    });
    expect(result.results.filter((r) => r.status === "done")).toHaveLength(6);
    const next = diff(
      withBadGroup,
      await readLiveState(client, withBadGroup, { knownProfileIds: result.createdCustomerIds }),
    );
    // What failed is left; cy's profile is gone, so `missing: create` makes it anew.
    expect(next.actions.map((a) => a.address)).toEqual([
      "group.toolong",
      'customer.vip["cy@example.com"]',
      'member.toolong["eve@example.com"]',
      'member.vip["cy@example.com"]',
    ]);
  });

  it("creates profiles 100 a call, and a profile Square refuses fails alone", async () => {
    const people = Array.from({ length: 205 }, (_, i) => email(`walk-in-${i}@example.net`));
    const walkIns = desired([group("walk-ins", { name: "Walk-ins", rules: people, missing: "create" })]);
    const planned = diff(walkIns, await readLiveState(client, walkIns));
    // Square refuses this one (the emulator checks emails as Square does); groupsync's config
    // would not let it through, a hand-edited plan could.
    const bad = 'customer.walk-ins["walk-in-7@example.net"]';
    const p: Plan = {
      ...planned,
      actions: planned.actions.map((a) =>
        a.address === bad && a.type === "create_customer"
          ? { ...a, customer: { email_address: "walk-in-7@@example.net" } }
          : a,
      ),
    };
    emulator.reset();
    const result = await applyPlan(client, p, { checkPreconditions: false });
    expect(callsSeen(emulator)["BulkCreateCustomers"]).toBe(3);
    const byAddress = new Map(result.results.map((r) => [r.address, r]));
    expect(byAddress.get(bad)).toMatchObject({
      status: "failed",
      error: { code: "GS_SQUARE_BAD_REQUEST", squareCode: "INVALID_EMAIL_ADDRESS" },
    });
    expect(byAddress.get('member.walk-ins["walk-in-7@example.net"]')).toMatchObject({
      status: "skipped",
      error: { code: "GS_SQUARE_DEPENDENCY_FAILED" },
    });
    expect(result.results.filter((r) => r.status === "done")).toHaveLength(1 + 204 + 204);
    expect(result.createdCustomerIds).toHaveLength(204);

    // Applied again (a retry after a crash, or another process): the same keys, the same profiles.
    const again = await applyPlan(client, p, { checkPreconditions: false });
    expect(new Set(again.createdCustomerIds)).toEqual(new Set(result.createdCustomerIds));
    const made = emulator.store.snapshot().customers.filter((c) => c.email_address?.startsWith("walk-in-"));
    expect(made).toHaveLength(204);
  });

  it("treats removing a profile that no longer exists as done", async () => {
    const p = await plan();
    emulator.store.deleteCustomer("BOB");
    const result = await applyPlan(client, p, { checkPreconditions: false });
    const removal = result.results.find((r) => r.type === "remove_member");
    expect(removal).toMatchObject({ status: "done" });
    expect(result.ok).toBe(true);
  });

  it("stops starting actions after an auth error", async () => {
    const p = await plan();
    const readOnly = clientFor(emulator, { token: emulator.readOnlyToken });
    const result = await applyPlan(readOnly, p, {
      checkPreconditions: false,
      concurrency: 1,
    });
    await readOnly.close();
    expect(result.results[0]).toMatchObject({ status: "failed", error: { code: "GS_SQUARE_FORBIDDEN" } });
    expect(result.results.slice(1).every((r) => r.status === "skipped")).toBe(true);
    expect(writesSeen()).toBe(1);
  });
});
