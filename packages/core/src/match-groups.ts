import type { LiveIndex } from "./live-index.js";
import { compareStrings, indexGroups } from "./live-index.js";
import { groupNameKey } from "./normalize.js";
import type { DesiredGroup, DesiredState, LiveGroup, PlanError } from "./types.js";

/** How one entry of groups.yaml found its live group (DESIGN.md §3). */
export interface GroupMatch {
  readonly desired: DesiredGroup;
  /** `undefined` when the group is to be created or the entry failed (see `failed`). */
  readonly live?: LiveGroup;
  readonly matchedBy: "id" | "name" | "previously" | "none";
  /** The entry could not be matched safely; it gets no actions. */
  readonly failed: boolean;
}

export interface GroupMatching {
  /** One per desired group, in file order. */
  readonly matches: readonly GroupMatch[];
  readonly errors: readonly PlanError[];
  /** Live group IDs claimed by an entry, or named by a failed entry (never deleted). */
  readonly claimedIds: ReadonlySet<string>;
}

const PIN_HINT = "pin the group with `id:` (its Square group ID)";

/**
 * What to do when entries claim one live group: pin the unpinned ones to their own groups, or,
 * when every claimant is pinned already (two entries with one `id:`), keep the pin in one entry.
 */
function claimedTwiceHint(claimants: readonly DesiredGroup[]): string {
  const unpinned = claimants.filter((c) => c.id === undefined).map((c) => `"${c.key}"`);
  if (unpinned.length === 0) return "pin each entry to its own group: two entries cannot have the same `id:`";
  return `pin ${unpinned.join(", ")} with \`id:\` (its own Square group ID), or rename ${unpinned.length === 1 ? "it" : "them"}`;
}

/**
 * Matches each entry to a live group: pinned `id`, else `name`, else `previously`, else create.
 * Two entries claiming one live group, and several live groups sharing the name an entry asks
 * for, are errors telling the user to pin `id`.
 */
export function matchGroups(
  desired: DesiredState,
  index: Pick<LiveIndex, "groupsById" | "groupsByNameKey">,
): GroupMatching {
  const errors: PlanError[] = [];
  const claimedIds = new Set<string>();
  const claims = new Map<string, DesiredGroup[]>();
  // A live group that carries an entry's current name belongs to that entry, not to another
  // entry's `previously` (else a group created by this plan would be claimed twice next time).
  const currentNameKeys = new Set(desired.groups.map((g) => groupNameKey(g.name)));
  const found = new Map<DesiredGroup, Omit<GroupMatch, "desired" | "failed">>();
  const failed = new Set<DesiredGroup>();

  const claim = (group: DesiredGroup, live: LiveGroup, matchedBy: GroupMatch["matchedBy"]): void => {
    found.set(group, { live, matchedBy });
    claimedIds.add(live.id);
    const bucket = claims.get(live.id);
    if (bucket === undefined) claims.set(live.id, [group]);
    else bucket.push(group);
  };
  const ambiguous = (group: DesiredGroup, name: string, candidates: readonly LiveGroup[]): void => {
    failed.add(group);
    for (const c of candidates) claimedIds.add(c.id);
    errors.push({
      code: "GS_CORE_DUPLICATE_LIVE_GROUP_NAME",
      group: group.key,
      message: `${candidates.length} live groups are named "${name}" (${candidates.map((c) => c.id).join(", ")}); groupsync cannot tell which one group "${group.key}" means`,
      hint: PIN_HINT,
    });
  };

  for (const group of desired.groups) {
    if (group.id !== undefined) {
      const live = index.groupsById.get(group.id);
      if (live === undefined) {
        failed.add(group);
        errors.push({
          code: "GS_CORE_PINNED_GROUP_NOT_FOUND",
          group: group.key,
          message: `group "${group.key}" is pinned to id ${group.id}, but the account has no group with that ID`,
          hint: "fix or remove `id:` (without it the group is matched by name, or created)",
        });
      } else claim(group, live, "id");
      continue;
    }
    const byName = index.groupsByNameKey.get(groupNameKey(group.name)) ?? [];
    if (byName.length > 1) {
      ambiguous(group, group.name, byName);
      continue;
    }
    const named = byName[0];
    if (named !== undefined) {
      claim(group, named, "name");
      continue;
    }
    const previous = new Map<string, LiveGroup>();
    for (const name of group.previously) {
      const key = groupNameKey(name);
      if (currentNameKeys.has(key)) continue;
      for (const live of index.groupsByNameKey.get(key) ?? []) previous.set(live.id, live);
    }
    const candidates = [...previous.values()].sort((a, b) => compareStrings(a.id, b.id));
    if (candidates.length > 1) ambiguous(group, group.previously.join('", "'), candidates);
    else if (candidates[0] !== undefined) claim(group, candidates[0], "previously");
  }

  for (const [liveId, claimants] of [...claims.entries()].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (claimants.length < 2) continue;
    for (const c of claimants) failed.add(c);
    const keys = claimants.map((c) => `"${c.key}"`).join(", ");
    errors.push({
      code: "GS_CORE_GROUP_CLAIMED_TWICE",
      group: claimants[0]?.key ?? "",
      message: `groups ${keys} all match the live group ${liveId} ("${index.groupsById.get(liveId)?.name ?? ""}")`,
      hint: claimedTwiceHint(claimants),
    });
  }

  const matches = desired.groups.map((group): GroupMatch => {
    if (failed.has(group)) return { desired: group, matchedBy: "none", failed: true };
    const match = found.get(group);
    if (match === undefined) return { desired: group, matchedBy: "none", failed: false };
    return { desired: group, ...match, failed: false };
  });
  return { matches, errors, claimedIds };
}

/**
 * The live group ID each entry of groups.yaml resolves to, in file order, as `diff` resolves
 * them: `undefined` for an entry to be created or one that cannot be matched safely (`diff`
 * reports why). For readers that need the groups before the profiles, without a whole diff.
 */
export function resolveGroupIds(
  desired: DesiredState,
  groups: readonly LiveGroup[],
): Array<string | undefined> {
  return matchGroups(desired, indexGroups({ groups, profiles: [] })).matches.map((m) =>
    m.failed ? undefined : m.live?.id,
  );
}
