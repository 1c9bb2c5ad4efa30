import type { DesiredState, LiveGroup } from "@groupsync/core";
import type { SquareClient } from "../client.js";
import type { SquareCustomer } from "../square-types.js";

/**
 * Square's member count of each live group `unmanaged_groups: delete` would remove: the live
 * groups no entry of `desired` is matched to (`managedIds`). Their members are not paged (that
 * would cost a search pass per group on every plan), yet a reviewer approving a deletion, and the
 * mass-removal guard, need the true number: one SearchCustomers `group_ids.any` with `count` and
 * `limit: 1` per group, all at once. Empty when the file keeps unmanaged groups.
 */
export async function countDeletedGroupMembers(
  client: SquareClient,
  desired: DesiredState,
  groups: readonly LiveGroup[],
  managedIds: Iterable<string>,
): Promise<Map<string, number>> {
  if (desired.unmanagedGroups !== "delete") return new Map();
  const managed = new Set(managedIds);
  const unmanaged = groups.filter((g) => !managed.has(g.id)).map((g) => g.id);
  return countGroupMembers(client, unmanaged);
}

/** One SearchCustomers `count` per group (in parallel): group ID -> members Square counts. */
export async function countGroupMembers(
  client: SquareClient,
  groupIds: Iterable<string>,
): Promise<Map<string, number>> {
  const ids = [...new Set(groupIds)];
  const counts = await Promise.all(
    ids.map(async (id) => {
      const page = await client.send<{ count?: number; customers?: SquareCustomer[] }>({
        operation: "SearchCustomers",
        method: "POST",
        path: "/v2/customers/search",
        body: { limit: 1, count: true, query: { filter: { group_ids: { any: [id] } } } },
      });
      // Square answers an empty result with `{}`: no count is none.
      return [id, page.count ?? page.customers?.length ?? 0] as const;
    }),
  );
  return new Map(counts);
}
