import { diff, type Plan } from "@groupsync/core";
import { desired, email, group } from "@groupsync/core/test-support";
import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import { APPLY_ORDER, APPLY_PHASES, applyPlan, readLiveState } from "../src/index.js";
import {
  client,
  emulator,
  plan,
  replaceClient,
  state,
  useApplyAccount,
  writesSeen,
} from "./apply-account.js";
import { callsSeen, clientFor } from "./helpers.js";

useApplyAccount();

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
    await replaceClient(clientFor(emulator, { dispatcher, maxConcurrency: 4 }));
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
