import {
  createRuleMatcher,
  groupNameKey,
  ruleLabel,
  type AbsentProfilePrecondition,
  type Plan,
  type PlanPreconditions,
  type ProfileContact,
} from "@groupsync/core";
import type { SquareClient } from "./client.js";
import { bulkRetrieveCustomers, searchCustomers } from "./customers-api.js";
import type { StaleReason } from "./errors.js";
import { listGroups } from "./groups-api.js";
import type { SquareCustomer, SquareCustomerFilter } from "./square-types.js";

/**
 * Re-reads the live objects a (saved) plan touches and lists every precondition that no longer
 * holds; an empty list means the plan still applies as planned. One batched check, its reads
 * concurrent: one ListCustomerGroups pass (when the plan touches or creates groups), one
 * BulkRetrieveCustomers per 100 profiles it adds or removes (their `group_ids`, email and phone
 * are current), and one SearchCustomers per profile it creates. Search lags behind writes
 * (DESIGN.md §1): a profile made elsewhere in the last minute or so may not be seen yet.
 */
export async function checkPreconditions(client: SquareClient, plan: Plan): Promise<StaleReason[]> {
  const pre = plan.preconditions ?? derivePreconditions(plan);
  const [groups, profiles, existing] = await Promise.all([
    checkGroups(client, pre),
    checkProfiles(client, pre),
    Promise.all(pre.absentProfiles.map((absent) => findProfile(client, absent))),
  ]);
  const reasons = [...groups, ...profiles];
  for (const [i, found] of existing.entries()) {
    const absent = pre.absentProfiles[i] as AbsentProfilePrecondition;
    if (found === undefined) continue;
    reasons.push({
      code: "GS_SQUARE_STALE_PROFILE_EXISTS",
      customerId: found.id,
      message: `a profile with ${absent.value} exists now (${found.id}); the plan would create a second one`,
    });
  }
  return reasons;
}

async function checkGroups(client: SquareClient, pre: PlanPreconditions): Promise<StaleReason[]> {
  if (pre.groups.length === 0 && pre.absentGroupNames.length === 0) return [];
  const reasons: StaleReason[] = [];
  const live = new Map<string, string>();
  for await (const group of listGroups(client)) live.set(group.id, group.name);
  for (const expected of pre.groups) {
    const name = live.get(expected.groupId);
    if (name === undefined) {
      reasons.push({
        code: "GS_SQUARE_STALE_GROUP_MISSING",
        groupId: expected.groupId,
        message: `group "${expected.name}" (${expected.groupId}) no longer exists`,
      });
    } else if (name !== expected.name) {
      reasons.push({
        code: "GS_SQUARE_STALE_GROUP_RENAMED",
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
        code: "GS_SQUARE_STALE_GROUP_NAME_TAKEN",
        groupId: id,
        message: `a group named "${name}" exists now (${id})`,
      });
    }
  }
  return reasons;
}

/** Memberships and rule matches, from one BulkRetrieve of every profile the plan adds or removes. */
async function checkProfiles(client: SquareClient, pre: PlanPreconditions): Promise<StaleReason[]> {
  if (pre.memberships.length === 0 && pre.matches.length === 0) return [];
  const profiles = await bulkRetrieveCustomers(client, [
    ...pre.memberships.map((m) => m.customerId),
    ...pre.matches.map((m) => m.customerId),
  ]);
  const reasons: StaleReason[] = [];
  const missing = new Set<string>();
  const reportMissing = (customerId: string): void => {
    if (missing.has(customerId)) return;
    missing.add(customerId);
    reasons.push({
      code: "GS_SQUARE_STALE_PROFILE_MISSING",
      customerId,
      message: `profile ${customerId} no longer exists`,
    });
  };
  for (const expected of pre.memberships) {
    const profile = profiles.get(expected.customerId);
    if (profile === undefined) {
      reportMissing(expected.customerId);
      continue;
    }
    const member = (profile.group_ids ?? []).includes(expected.groupId);
    if (member !== expected.member) {
      reasons.push({
        code: "GS_SQUARE_STALE_MEMBERSHIP_CHANGED",
        customerId: expected.customerId,
        groupId: expected.groupId,
        message: `profile ${expected.customerId} ${member ? "joined" : "left"} group ${expected.groupId} since the plan`,
      });
    }
  }
  const matches = createRuleMatcher(pre.country);
  for (const expected of pre.matches) {
    const profile = profiles.get(expected.customerId);
    if (profile === undefined) {
      reportMissing(expected.customerId);
      continue;
    }
    const rule = { kind: expected.kind, value: expected.value };
    // The message names the rule (from groups.yaml), never what the profile holds now.
    if (!matches(contact(profile), rule)) {
      reasons.push({
        code: "GS_SQUARE_STALE_PROFILE_CHANGED",
        customerId: expected.customerId,
        message: `profile ${expected.customerId} no longer matches ${ruleLabel(rule)}, the rule that selected it`,
      });
    }
  }
  return reasons;
}

function contact(customer: SquareCustomer): ProfileContact {
  return {
    id: customer.id,
    ...(typeof customer.email_address === "string" ? { emailAddress: customer.email_address } : {}),
    ...(typeof customer.phone_number === "string" ? { phoneNumber: customer.phone_number } : {}),
  };
}

/** A profile holding the email/phone, if search finds one (one page of one). */
async function findProfile(
  client: SquareClient,
  absent: AbsentProfilePrecondition,
): Promise<SquareCustomer | undefined> {
  const filter: SquareCustomerFilter =
    absent.kind === "email"
      ? { email_address: { exact: absent.value } }
      : { phone_number: { exact: absent.value } };
  for await (const customer of searchCustomers(client, { filter }, { limit: 1 })) return customer;
  return undefined;
}

/** The preconditions of a plan without `preconditions` (made before core recorded them). */
function derivePreconditions(plan: Plan): PlanPreconditions {
  const groups = new Map<string, string>();
  const absentGroupNames: string[] = [];
  const memberships: Array<{ customerId: string; groupId: string; member: boolean }> = [];
  const absentProfiles: AbsentProfilePrecondition[] = [];
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
        absentProfiles.push(
          action.customer.email_address === undefined
            ? { kind: "phone", value: action.customer.phone_number ?? "" }
            : { kind: "email", value: action.customer.email_address },
        );
        break;
    }
  }
  return {
    groups: [...groups].map(([groupId, name]) => ({ groupId, name })),
    absentGroupNames,
    memberships,
    // Such a plan does not say which rule selected each profile it adds: not re-checked.
    matches: [],
    absentProfiles,
    country: "US",
  };
}
