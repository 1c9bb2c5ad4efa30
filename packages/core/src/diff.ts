import { groupAddress, unmanagedGroupAddress } from "./address.js";
import { compareStrings, indexGroups, indexLive, type LiveIndex } from "./live-index.js";
import { matchGroups, type GroupMatching } from "./match-groups.js";
import { groupNameKey } from "./normalize.js";
import { planCreations } from "./plan-creations.js";
import { resolveMembers, type PlanParts } from "./resolve-members.js";
import { DEFAULT_THRESHOLDS } from "./thresholds.js";
import type {
  ActionType,
  DesiredState,
  GroupDeletion,
  GroupPrecondition,
  GroupRef,
  GroupResolution,
  LiveGroup,
  LiveState,
  MassRemoval,
  MatchPrecondition,
  Plan,
  SafetyThresholds,
} from "./types.js";

/** Options of {@link diff}. */
export interface DiffOptions {
  /** When removals count as a mass removal (DESIGN.md §5). Default {@link DEFAULT_THRESHOLDS}. */
  readonly thresholds?: SafetyThresholds;
  /**
   * Square's member count (SearchCustomers `count`) of live groups whose members the reader did
   * not page: the groups `unmanaged_groups: delete` removes. A deletion shows the larger of this
   * and the members the live state holds. Default: none (the live state's members only).
   */
  readonly memberCounts?: ReadonlyMap<string, number>;
}

/** DESIGN.md §4: the order actions are applied in. */
export const ACTION_ORDER: readonly ActionType[] = [
  "create_group",
  "rename_group",
  "create_customer",
  "add_member",
  "remove_member",
  "delete_group",
];

/**
 * Compares the desired state (groups.yaml) with the live state (Square) and returns the plan
 * that turns one into the other (DESIGN.md §3-§5). Pure and deterministic: the same inputs, in
 * any order of `live.groups`/`live.profiles`, give a byte-identical plan. Linear in profiles +
 * rules. Problems the user must fix are returned in `plan.errors`, never thrown.
 */
export function diff(desired: DesiredState, live: LiveState, options: DiffOptions = {}): Plan {
  const groupIndex = indexGroups(live);
  const matching = matchGroups(desired, groupIndex);
  const managed = matching.matches.flatMap((m) => (m.live !== undefined && !m.failed ? [m.live.id] : []));
  const index = indexLive(desired, live, groupIndex, managed);
  return planFromIndex(desired, live, matching, index, options);
}

function planFromIndex(
  desired: DesiredState,
  live: LiveState,
  matching: GroupMatching,
  index: LiveIndex,
  options: DiffOptions,
): Plan {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const creations = planCreations(matching.matches, index);
  const parts: PlanParts = {
    actions: [...creations.actions],
    rules: [],
    warnings: [],
    errors: [...matching.errors],
    memberships: [],
    matches: [],
  };
  const groups: GroupResolution[] = [];
  const massRemovals: MassRemoval[] = [];
  const touchedGroups = new Map<string, GroupPrecondition>();
  const touch = (group: LiveGroup): void =>
    void touchedGroups.set(group.id, { groupId: group.id, name: group.name });
  const absentGroupNames = new Set<string>();

  for (const [groupIndex, match] of matching.matches.entries()) {
    const group = match.desired;
    const liveGroup = match.live;
    if (match.failed) {
      groups.push({
        group: group.key,
        name: group.name,
        matchedBy: "none",
        liveMembers: 0,
        desiredMembers: 0,
      });
      continue;
    }
    let groupRef: GroupRef;
    if (liveGroup === undefined) {
      const address = groupAddress(group.key);
      parts.actions.push({ type: "create_group", address, group: group.key, name: group.name });
      absentGroupNames.add(group.name);
      groupRef = { created: address };
    } else {
      groupRef = { id: liveGroup.id };
      if (liveGroup.name !== group.name) {
        parts.actions.push({
          type: "rename_group",
          address: groupAddress(group.key),
          group: group.key,
          groupId: liveGroup.id,
          from: liveGroup.name,
          to: group.name,
        });
        touch(liveGroup);
        if (groupNameKey(liveGroup.name) === groupNameKey(group.name)) {
          parts.warnings.push({
            code: "GS_CORE_RENAME_CASE_ONLY",
            group: group.key,
            message: `group "${group.key}": the live name "${liveGroup.name}" differs from "${group.name}" only in case or spacing; it will be renamed`,
          });
        }
      }
    }

    const members = liveGroup === undefined ? [] : (index.membersByGroup.get(liveGroup.id) ?? []);
    const buckets = index.ruleBuckets[groupIndex] ?? [];
    const { adds, removes } = resolveMembers(
      { group, liveGroup, groupRef, members, buckets, creations },
      parts,
    );
    if (group.membership === "authoritative" && liveGroup !== undefined) {
      const noRules = group.rules.length === 0 && members.length > 0;
      const limit = group.maxRemovals;
      // A group's own limit replaces the default thresholds (DESIGN.md §2).
      const overLimit =
        limit === undefined
          ? removes > thresholds.maxRemovalCount && removes > thresholds.maxRemovalFraction * members.length
          : removes > limit;
      if (noRules || overLimit) {
        massRemovals.push({
          group: group.key,
          removing: removes,
          liveMembers: members.length,
          reason: noRules ? "no_rules" : limit === undefined ? "threshold" : "max_removals",
          ...(limit === undefined ? {} : { limit }),
        });
      }
    }
    if (liveGroup !== undefined && (adds > 0 || removes > 0)) touch(liveGroup);
    groups.push({
      group: group.key,
      name: group.name,
      matchedBy: match.matchedBy,
      ...(liveGroup === undefined ? {} : { groupId: liveGroup.id }),
      liveMembers: members.length,
      desiredMembers: members.length - removes + adds,
    });
  }

  const deletedGroups: GroupDeletion[] = [];
  // With a group that could not be matched, no one can tell which live groups are unmanaged.
  if (desired.unmanagedGroups === "delete" && matching.errors.length === 0) {
    const unmanaged = live.groups.filter((g) => !matching.claimedIds.has(g.id));
    const counts = countMembers(live, new Set(unmanaged.map((g) => g.id)));
    for (const g of unmanaged) {
      parts.actions.push({
        type: "delete_group",
        address: unmanagedGroupAddress(g.id),
        groupId: g.id,
        name: g.name,
      });
      const liveMembers = Math.max(counts.get(g.id) ?? 0, options.memberCounts?.get(g.id) ?? 0);
      deletedGroups.push({ groupId: g.id, name: g.name, liveMembers });
      // Deleting a group removes every member: over the count threshold, a mass removal too.
      if (liveMembers > thresholds.maxRemovalCount && thresholds.maxRemovalFraction < 1) {
        const group = unmanagedGroupAddress(g.id);
        massRemovals.push({ group, removing: liveMembers, liveMembers, reason: "delete" });
      }
      touch(g);
    }
  }

  const rank = new Map(ACTION_ORDER.map((type, i) => [type, i]));
  const actions = parts.actions.sort(
    (a, b) => (rank.get(a.type) ?? 0) - (rank.get(b.type) ?? 0) || compareStrings(a.address, b.address),
  );
  const count = (type: ActionType): number => actions.filter((a) => a.type === type).length;
  return {
    formatVersion: 2,
    actions,
    groups,
    rules: parts.rules,
    warnings: parts.warnings.sort(compareProblems),
    errors: parts.errors.sort(compareProblems),
    summary: {
      create: count("create_group"),
      rename: count("rename_group"),
      createCustomer: count("create_customer"),
      add: count("add_member"),
      remove: count("remove_member"),
      delete: count("delete_group"),
    },
    safety: {
      massRemovals: massRemovals.sort((a, b) => compareStrings(a.group, b.group)),
      deletes: deletedGroups.length,
      deletedGroups: deletedGroups.sort((a, b) => compareStrings(a.groupId, b.groupId)),
      thresholds: {
        maxRemovalFraction: thresholds.maxRemovalFraction,
        maxRemovalCount: thresholds.maxRemovalCount,
      },
    },
    preconditions: {
      groups: [...touchedGroups.values()].sort((a, b) => compareStrings(a.groupId, b.groupId)),
      absentGroupNames: [...absentGroupNames].sort(compareStrings),
      memberships: parts.memberships.sort(
        (a, b) => compareStrings(a.groupId, b.groupId) || compareStrings(a.customerId, b.customerId),
      ),
      matches: uniqueMatches(parts.matches),
      absentProfiles: creations.actions
        .map((a) =>
          a.customer.email_address === undefined
            ? { kind: "phone" as const, value: a.customer.phone_number ?? "" }
            : { kind: "email" as const, value: a.customer.email_address },
        )
        .sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.value, b.value)),
      country: desired.country,
    },
  };
}

/** Sorted by (profile, kind, value), each once: several groups may add one profile by one rule. */
function uniqueMatches(matches: MatchPrecondition[]): MatchPrecondition[] {
  matches.sort(
    (a, b) =>
      compareStrings(a.customerId, b.customerId) ||
      compareStrings(a.kind, b.kind) ||
      compareStrings(a.value, b.value),
  );
  return matches.filter((m, i) => {
    const previous = matches[i - 1];
    return (
      previous === undefined ||
      previous.customerId !== m.customerId ||
      previous.kind !== m.kind ||
      previous.value !== m.value
    );
  });
}

function countMembers(live: LiveState, ids: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  if (ids.size === 0) return counts;
  for (const p of live.profiles) {
    for (const id of p.groupIds) if (ids.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function compareProblems(
  a: { group?: string; rule?: string; code: string; message: string },
  b: { group?: string; rule?: string; code: string; message: string },
): number {
  return (
    compareStrings(a.group ?? "", b.group ?? "") ||
    compareStrings(a.rule ?? "", b.rule ?? "") ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}
