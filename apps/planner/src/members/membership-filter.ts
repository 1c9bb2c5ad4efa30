/** How the listed groups combine: in every one (`--all`, the default) or in at least one (`--any`). */
export type GroupMode = "all" | "any";

/** SearchCustomers' `query.filter.group_ids` (Square ANDs its keys). */
export interface GroupIdsFilter {
  readonly all?: readonly string[];
  readonly any?: readonly string[];
  readonly none?: readonly string[];
}

/** The one `group_ids` filter for the listed groups, the mode, and the `--not` groups. */
export function buildGroupFilter(
  include: readonly string[],
  mode: GroupMode,
  exclude: readonly string[],
): GroupIdsFilter {
  return {
    ...(include.length === 0 ? {} : { [mode]: [...new Set(include)] }),
    ...(exclude.length === 0 ? {} : { none: [...new Set(exclude)] }),
  };
}

/**
 * Whether a profile with `groupIds` (from BulkRetrieveCustomers: current, unlike search)
 * passes `filter`, as Square evaluates it: every `all` group, some `any` group, no `none` group.
 */
export function matchesGroupFilter(groupIds: readonly string[] | undefined, filter: GroupIdsFilter): boolean {
  const ids = new Set(groupIds ?? []);
  if (filter.all !== undefined && !filter.all.every((id) => ids.has(id))) return false;
  if (filter.any !== undefined && filter.any.length > 0 && !filter.any.some((id) => ids.has(id)))
    return false;
  if (filter.none !== undefined && filter.none.some((id) => ids.has(id))) return false;
  return true;
}
