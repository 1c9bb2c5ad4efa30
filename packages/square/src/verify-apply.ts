import type { Plan } from "@groupsync/core";
import type { ActionResult, ApplyProgressEvent, VerifyMismatch } from "./apply-result.js";
import type { SquareClient } from "./client.js";
import { bulkRetrieveCustomers } from "./customers-api.js";
import { addedMembership } from "./perform-action.js";

/**
 * Reads every profile a done add or remove touched back with BulkRetrieve, and lists those whose
 * `group_ids` do not show the change (a profile gone counts for an add only).
 */
export async function verifyApply(
  client: SquareClient,
  plan: Plan,
  results: ReadonlyMap<string, ActionResult>,
  createdGroups: ReadonlyMap<string, string>,
  createdCustomers: ReadonlyMap<string, string>,
  progress: (event: ApplyProgressEvent) => void,
): Promise<VerifyMismatch[]> {
  const expected: Array<{ address: string; customerId: string; groupId: string; member: boolean }> = [];
  for (const action of plan.actions) {
    if (results.get(action.address)?.status !== "done") continue;
    if (action.type === "add_member") {
      const { groupId, customerId } = addedMembership(action, createdGroups, createdCustomers);
      if (groupId !== undefined && customerId !== undefined) {
        expected.push({ address: action.address, customerId, groupId, member: true });
      }
    } else if (action.type === "remove_member") {
      expected.push({
        address: action.address,
        customerId: action.customerId,
        groupId: action.groupId,
        member: false,
      });
    }
  }
  if (expected.length === 0) return [];
  const ids = [...new Set(expected.map((e) => e.customerId))];
  let done = 0;
  const profiles = await bulkRetrieveCustomers(client, ids, {
    onBatch: (n) => progress({ phase: "verify", done: (done += n), total: ids.length }),
  });
  const mismatches: VerifyMismatch[] = [];
  for (const e of expected) {
    const profile = profiles.get(e.customerId);
    if (profile === undefined) {
      if (e.member)
        mismatches.push({
          ...withoutMember(e),
          message: `profile ${e.customerId} was not found after the apply`,
        });
      continue;
    }
    if ((profile.group_ids ?? []).includes(e.groupId) !== e.member) {
      mismatches.push({
        ...withoutMember(e),
        message: `profile ${e.customerId} is ${e.member ? "not " : "still "}in group ${e.groupId} after the apply`,
      });
    }
  }
  return mismatches;
}

function withoutMember(e: { address: string; customerId: string; groupId: string }) {
  return { address: e.address, customerId: e.customerId, groupId: e.groupId };
}
