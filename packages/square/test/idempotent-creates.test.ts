// Creates carry idempotency keys: a retry, a reset connection or a second apply makes nothing twice.
import { diff } from "@groupsync/core";
import { desired, email, group } from "@groupsync/core/test-support";
import { describe, expect, it } from "vitest";
import { applyPlan, readLiveState } from "../src/index.js";
import { client, emulator, plan, useApplyAccount } from "./apply-account.js";
import { callsSeen, clientFor } from "./helpers.js";

useApplyAccount();

describe("applyPlan creates once", () => {
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
});
