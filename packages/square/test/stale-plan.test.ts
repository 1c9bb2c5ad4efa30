// A saved plan applies only while the account is as it was planned against (DESIGN.md §5).
import { diff } from "@groupsync/core";
import { desired, group, phone } from "@groupsync/core/test-support";
import { describe, expect, it } from "vitest";
import {
  applyPlan,
  checkPreconditions,
  readLiveState,
  renameGroup,
  SquareStalePlanError,
} from "../src/index.js";
import { client, emulator, plan, useApplyAccount, writesSeen } from "./apply-account.js";
import { callsSeen, rejectionOf } from "./helpers.js";

useApplyAccount();

describe("applyPlan on a saved plan", () => {
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
});
