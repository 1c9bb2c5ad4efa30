import type { LiveGroup, LiveProfile, LiveState, Plan } from "../../src/types.js";

/**
 * Applies a plan to a live state the way Square would (pure, for property tests): new groups and
 * profiles get IDs `new-group-N` / `new-customer-N` and a creation time after every other one.
 */
export function applyPlan(plan: Plan, live: LiveState): LiveState {
  const groups = new Map<string, LiveGroup>(live.groups.map((g) => [g.id, g]));
  const profiles = new Map<string, LiveProfile>(live.profiles.map((p) => [p.id, p]));
  const createdGroups = new Map<string, string>();
  const createdCustomers = new Map<string, string>();
  let n = 0;
  const update = (id: string, change: (ids: string[]) => string[]): void => {
    const p = profiles.get(id);
    if (p === undefined) throw new Error(`apply: unknown profile ${id}`);
    profiles.set(id, { ...p, groupIds: change([...p.groupIds]), version: (p.version ?? 0) + 1 });
  };
  for (const a of plan.actions) {
    switch (a.type) {
      case "create_group": {
        const id = `new-group-${n++}`;
        groups.set(id, { id, name: a.name });
        createdGroups.set(a.address, id);
        break;
      }
      case "rename_group": {
        const g = groups.get(a.groupId);
        if (g === undefined) throw new Error(`apply: unknown group ${a.groupId}`);
        groups.set(a.groupId, { ...g, name: a.to });
        break;
      }
      case "create_customer": {
        const id = `new-customer-${n++}`;
        profiles.set(id, {
          id,
          createdAt: "2099-01-01T00:00:00Z",
          groupIds: [],
          ...(a.customer.email_address === undefined ? {} : { emailAddress: a.customer.email_address }),
          ...(a.customer.phone_number === undefined ? {} : { phoneNumber: a.customer.phone_number }),
        });
        createdCustomers.set(a.address, id);
        break;
      }
      case "add_member": {
        const groupId = "id" in a.groupRef ? a.groupRef.id : createdGroups.get(a.groupRef.created);
        const customerId = "id" in a.customer ? a.customer.id : createdCustomers.get(a.customer.created);
        if (groupId === undefined || customerId === undefined)
          throw new Error(`apply: dangling ${a.address}`);
        update(customerId, (ids) => (ids.includes(groupId) ? ids : [...ids, groupId]));
        break;
      }
      case "remove_member":
        update(a.customerId, (ids) => ids.filter((id) => id !== a.groupId));
        break;
      case "delete_group":
        groups.delete(a.groupId);
        for (const p of [...profiles.values()]) {
          if (p.groupIds.includes(a.groupId)) update(p.id, (ids) => ids.filter((id) => id !== a.groupId));
        }
        break;
    }
  }
  return { groups: [...groups.values()], profiles: [...profiles.values()] };
}
