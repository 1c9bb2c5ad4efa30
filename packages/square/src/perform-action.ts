// Doing one action: its Square call, and what "done" means when Square says it is already so.
import type { Action, AddMemberAction, CreateGroupAction } from "@groupsync/core";
import type { SquareClient } from "./client.js";
import { addGroupToCustomer, removeGroupFromCustomer } from "./customers-api.js";
import { SquareApiError, SquareResponseError } from "./errors.js";
import { createGroup, deleteGroup, renameGroup, retrieveGroup } from "./groups-api.js";
import { createGroupKey } from "./idempotency-keys.js";

/** How many deleted groups in a row one create_group steps past before it gives up. */
const MAX_DELETED_REPLAYS = 5;

/**
 * CreateCustomerGroup under the key derived from what it creates. Square answers a key it knows
 * with the group it made then, which may have been deleted since (the group was removed from the
 * file and later added back): a group created before this apply started is looked up
 * (RetrieveCustomerGroup, one call), and when it is gone the group is created under the next key,
 * derived from the deleted group's ID, so that concurrent applies still make one group.
 */
export async function createGroupOnce(
  client: SquareClient,
  account: string,
  action: CreateGroupAction,
  startedAt: number,
): Promise<string> {
  let key = createGroupKey(account, action.group, action.name);
  for (let replays = 0; ; replays++) {
    const group = await createGroup(client, action.name, key);
    const createdAt = Date.parse(group.created_at ?? "");
    // Made by this call, or by a racing apply since this one started: it exists.
    if (!(createdAt < startedAt) || (await retrieveGroup(client, group.id)) !== undefined) return group.id;
    if (replays >= MAX_DELETED_REPLAYS) {
      throw new SquareResponseError(
        "CreateCustomerGroup",
        200,
        undefined,
        `group ${group.id}, deleted since (${MAX_DELETED_REPLAYS + 1} such answers in a row)`,
      );
    }
    key = createGroupKey(account, action.group, action.name, group.id);
  }
}

/** One action other than a create_group or create_customer, done by its one call. */
export async function perform(
  client: SquareClient,
  action: Action,
  createdGroups: ReadonlyMap<string, string>,
  createdCustomers: ReadonlyMap<string, string>,
): Promise<{ createdId?: string; note?: string }> {
  switch (action.type) {
    case "create_group":
      throw new TypeError("create_group goes through createGroupOnce");
    case "rename_group":
      await renameGroup(client, action.groupId, action.to);
      return {};
    case "create_customer":
      // Batched by applyPlan (BulkCreateCustomers); never one at a time.
      throw new TypeError("create_customer goes through createCustomers");
    case "add_member": {
      const { groupId, customerId } = addedMembership(action, createdGroups, createdCustomers);
      if (groupId === undefined || customerId === undefined) throw new TypeError("unresolved reference");
      await addGroupToCustomer(client, customerId, groupId);
      return {};
    }
    case "remove_member":
      try {
        await removeGroupFromCustomer(client, action.customerId, action.groupId);
        return {};
      } catch (error) {
        // The profile or the group is gone: the membership is gone too, which is what was asked.
        if (error instanceof SquareApiError && error.status === 404)
          return { note: "already not a member (404)" };
        throw error;
      }
    case "delete_group":
      try {
        await deleteGroup(client, action.groupId);
        return {};
      } catch (error) {
        if (error instanceof SquareApiError && error.status === 404) return { note: "already deleted (404)" };
        throw error;
      }
  }
}

/**
 * The group and profile an add_member names: their IDs, or those Square gave the group and
 * profile this apply created (undefined while not created).
 */
export function addedMembership(
  action: AddMemberAction,
  createdGroups: ReadonlyMap<string, string>,
  createdCustomers: ReadonlyMap<string, string>,
): { readonly groupId: string | undefined; readonly customerId: string | undefined } {
  const groupId = "id" in action.groupRef ? action.groupRef.id : createdGroups.get(action.groupRef.created);
  const customerId =
    "id" in action.customer ? action.customer.id : createdCustomers.get(action.customer.created);
  return { groupId, customerId };
}
