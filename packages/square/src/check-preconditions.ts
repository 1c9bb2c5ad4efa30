import { groupNameKey, type Plan, type PlanPreconditions } from "@groupsync/core";
import type { SquareClient } from "./client.js";
import { bulkRetrieveCustomers } from "./customers-api.js";
import type { StaleReason } from "./errors.js";
import { listGroups } from "./groups-api.js";

/**
 * Re-reads the live objects a (saved) plan touches and lists every precondition that no longer
 * holds; an empty list means the plan still applies as planned. Costs one ListCustomerGroups
 * pass (when the plan touches or creates groups) and one BulkRetrieveCustomers per 100 profiles
 * it adds or removes; both are current (not subject to search lag).
 */
export async function checkPreconditions(client: SquareClient, plan: Plan): Promise<StaleReason[]> {
  const pre = plan.preconditions ?? derivePreconditions(plan);
  const reasons: StaleReason[] = [];

  if (pre.groups.length > 0 || pre.absentGroupNames.length > 0) {
    const live = new Map<string, string>();
    for await (const group of listGroups(client)) live.set(group.id, group.name);
    for (const expected of pre.groups) {
      const name = live.get(expected.groupId);
      if (name === undefined) {
        reasons.push({
          code: "group_missing",
          groupId: expected.groupId,
          message: `group "${expected.name}" (${expected.groupId}) no longer exists`,
        });
      } else if (name !== expected.name) {
        reasons.push({
          code: "group_renamed",
          groupId: expected.groupId,
          message: `group ${expected.groupId} is now called "${name}", not "${expected.name}"`,
        });
      }
    }
    const liveNames = new Map([...live].map(([id, name]) => [groupNameKey(name), id]));
    for (const name of pre.absentGroupNames) {
      const id = liveNames.get(groupNameKey(name));
      if (id !== undefined) {
        reasons.push({
          code: "group_name_taken",
          groupId: id,
          message: `a group named "${name}" exists now (${id})`,
        });
      }
    }
  }

  if (pre.memberships.length > 0) {
    const profiles = await bulkRetrieveCustomers(
      client,
      pre.memberships.map((m) => m.customerId),
    );
    for (const expected of pre.memberships) {
      const profile = profiles.get(expected.customerId);
      if (profile === undefined) {
        reasons.push({
          code: "profile_missing",
          customerId: expected.customerId,
          message: `profile ${expected.customerId} no longer exists`,
        });
        continue;
      }
      const member = (profile.group_ids ?? []).includes(expected.groupId);
      if (member !== expected.member) {
        reasons.push({
          code: "membership_changed",
          customerId: expected.customerId,
          groupId: expected.groupId,
          message: `profile ${expected.customerId} ${member ? "joined" : "left"} group ${expected.groupId} since the plan`,
        });
      }
    }
  }
  return reasons;
}

/** The preconditions of a plan without `preconditions` (made before core recorded them). */
function derivePreconditions(plan: Plan): PlanPreconditions {
  const groups = new Map<string, string>();
  const absentGroupNames: string[] = [];
  const memberships: Array<{ customerId: string; groupId: string; member: boolean }> = [];
  for (const action of plan.actions) {
    switch (action.type) {
      case "create_group":
        absentGroupNames.push(action.name);
        break;
      case "rename_group":
        groups.set(action.groupId, action.from);
        break;
      case "delete_group":
        groups.set(action.groupId, action.name);
        break;
      case "add_member":
        if ("id" in action.groupRef && "id" in action.customer) {
          memberships.push({ customerId: action.customer.id, groupId: action.groupRef.id, member: false });
        }
        break;
      case "remove_member":
        memberships.push({ customerId: action.customerId, groupId: action.groupId, member: true });
        break;
      case "create_customer":
        break;
    }
  }
  return { groups: [...groups].map(([groupId, name]) => ({ groupId, name })), absentGroupNames, memberships };
}
