import type { Action, DeleteGroupAction, Plan, RemoveMemberAction } from "./types.js";

/**
 * The plan of an additions-only run (`--no-removals`, DESIGN.md §5): the same plan without its
 * `remove_member` and `delete_group` actions, which move to `kept` so that the renderers list
 * them. Counts, member totals, safety figures and preconditions are those of what is left: a
 * group touched only by kept removals is no precondition, and kept removals are no mass removal.
 * A plan without removals comes back as it is.
 */
export function withoutRemovals(plan: Plan): Plan {
  const kept: (RemoveMemberAction | DeleteGroupAction)[] = [];
  const actions: Action[] = [];
  for (const a of plan.actions) {
    if (a.type === "remove_member" || a.type === "delete_group") kept.push(a);
    else actions.push(a);
  }
  if (kept.length === 0) return plan;
  const keptByGroup = new Map<string, number>();
  for (const a of kept) {
    if (a.type === "remove_member") keptByGroup.set(a.group, (keptByGroup.get(a.group) ?? 0) + 1);
  }
  const touched = new Set<string>();
  for (const a of actions) {
    if (a.type === "rename_group") touched.add(a.groupId);
    if (a.type === "add_member" && "id" in a.groupRef) touched.add(a.groupRef.id);
  }
  const { preconditions } = plan;
  return {
    ...plan,
    actions,
    groups: plan.groups.map((g) => {
      const back = keptByGroup.get(g.group) ?? 0;
      return back === 0 ? g : { ...g, desiredMembers: g.desiredMembers + back };
    }),
    summary: { ...plan.summary, remove: 0, delete: 0 },
    safety: {
      ...plan.safety,
      massRemovals: [],
      deletes: 0,
      ...(plan.safety.deletedGroups === undefined ? {} : { deletedGroups: [] }),
    },
    ...(preconditions === undefined
      ? {}
      : {
          preconditions: {
            ...preconditions,
            groups: preconditions.groups.filter((g) => touched.has(g.groupId)),
            // An add expects the profile out of the group; a removal expected it in.
            memberships: preconditions.memberships.filter((m) => !m.member),
          },
        }),
    kept: { reason: "no_removals", actions: kept },
  };
}
