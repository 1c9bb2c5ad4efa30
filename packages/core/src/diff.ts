import { groupAddress, unmanagedGroupAddress } from "./address.js";
import {
  compareStrings,
  createLiveIndexBuilder,
  indexGroups,
  type LiveIndex,
  type RuleBuckets,
} from "./live-index.js";
import { matchGroups, type GroupMatching } from "./match-groups.js";
import { groupNameKey } from "./normalize.js";
import { planCreations, type Creations } from "./plan-creations.js";
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
  LiveProfile,
  LiveState,
  MassRemoval,
  MatchPrecondition,
  Plan,
  Rule,
  SafetyThresholds,
} from "./types.js";

/** Options of {@link diff}. */
export interface DiffOptions {
  /** When removals count as a mass removal (DESIGN.md §5). Default {@link DEFAULT_THRESHOLDS}. */
  readonly thresholds?: SafetyThresholds;
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
  const prepared = prepareDiff(desired, live.groups);
  for (const profile of live.profiles) prepared.add(profile);
  return prepared.plan(options);
}

/**
 * {@link diff} fed a profile at a time: a reader adds the profiles as their pages arrive, while
 * other pages are still on the wire, and `plan()` then has little left to do (on a million
 * profiles, indexing them is most of a diff). `prepareDiff(d, groups)`, `add` of every profile of
 * `live`, then `plan()` is exactly `diff(d, live)`.
 */
export interface PreparedDiff {
  /** Adds one profile of the live state; each profile ID once. Not after `plan()`. */
  add(profile: LiveProfile): void;
  /**
   * The rules of the entries matched to live group `groupId` that no profile added so far
   * satisfies (`rulesNeedingLookup` for that group): once the group's members are added, what
   * must be looked up for it, without indexing them a second time. In file order, each rule
   * once per entry.
   */
  lookupsFor(groupId: string): Rule[];
  /**
   * A hint: the members of live group `groupId` are all added. Its entries are resolved now, while
   * other pages are on the wire, and `plan()` keeps that resolution unless the group's members or
   * its rules' matches changed since (then it resolves the entry again). Whenever it is called,
   * `plan()` is exactly `diff` (property-tested); called at the right time, `plan()` has little
   * left to do. Only entries each of whose rules matches exactly one profile so far are resolved
   * early (a rule matching none is looked up next; several are sorted by `plan()`), and none while
   * a group creates missing profiles. Returns how many entries it resolved.
   */
  settle(groupId: string): number;
  /** The plan of the groups given to {@link prepareDiff} and the profiles added. Once. */
  plan(options?: DiffOptions): Plan;
}

/**
 * `rules`: the rule buckets of `desired` when built ahead, in steps while the groups were being
 * listed (`buildRuleBuckets`); it then serves this diff only. By default built here.
 */
export function prepareDiff(
  desired: DesiredState,
  liveGroups: readonly LiveGroup[],
  rules?: RuleBuckets,
): PreparedDiff {
  const groupIndex = indexGroups({ groups: liveGroups, profiles: [] });
  const matching = matchGroups(desired, groupIndex);
  const managed = matching.matches.flatMap((m) => (m.live !== undefined && !m.failed ? [m.live.id] : []));
  const builder = createLiveIndexBuilder(desired, groupIndex, managed, rules);
  const profiles: LiveProfile[] = [];
  // A created profile counts as a match of any group's rule of the same value: with creations,
  // one entry's resolution depends on the others'.
  const creating = desired.groups.some((g) => g.missing === "create");
  const early = new Map<number, EarlyResolution>();
  let planned = false;
  return {
    add(profile) {
      builder.add(profile);
      profiles.push(profile);
    },
    lookupsFor(groupId) {
      const result: Rule[] = [];
      for (const [i, match] of matching.matches.entries()) {
        if (match.failed || match.live?.id !== groupId) continue;
        const buckets = builder.ruleBuckets[i] ?? [];
        const one = match.desired.match === "one";
        // Rules of one kind and value share their bucket: a rule listed twice is named once. A
        // satisfied rule is skipped whether seen before or not: only the others need the set.
        const seen = new Set<readonly LiveProfile[]>();
        const rules = match.desired.rules;
        for (let r = 0; r < rules.length; r++) {
          const rule = rules[r] as Rule;
          const bucket = buckets[r] ?? [];
          const satisfied =
            one && rule.kind !== "email_domain" && bucket.some((p) => p.groupIds.includes(groupId));
          if (satisfied || seen.has(bucket)) continue;
          seen.add(bucket);
          result.push(rule);
        }
      }
      return result;
    },
    settle(groupId) {
      if (creating || planned) return 0;
      let resolved = 0;
      for (const [i, match] of matching.matches.entries()) {
        const live = match.live;
        if (match.failed || live?.id !== groupId || early.has(i)) continue;
        const buckets = builder.ruleBuckets[i] ?? [];
        // A rule matching nothing yet is looked up, and what the look-up finds changes its
        // resolution; a bucket of several profiles is sorted oldest first only by finish().
        if (buckets.some((b) => b.length !== 1)) continue;
        const members = builder.membersByGroup.get(groupId) ?? [];
        const parts = emptyParts();
        const counts = resolveMembers(
          {
            group: match.desired,
            liveGroup: live,
            groupRef: { id: live.id },
            members,
            buckets,
            creations: NO_CREATIONS,
          },
          parts,
        );
        early.set(i, { parts, ...counts, members: members.length });
        resolved++;
      }
      return resolved;
    },
    plan(options = {}) {
      planned = true;
      const index = builder.finish();
      return planFromIndex(desired, { groups: liveGroups, profiles }, matching, index, options, early);
    },
  };
}

/**
 * An entry resolved by `settle`, when each of its rules' buckets held one profile, and the number
 * of members it saw. Members and buckets only grow until `finish()`, and a bucket of one profile
 * keeps its order: the same counts mean the same inputs.
 */
interface EarlyResolution {
  readonly parts: PlanParts;
  readonly adds: number;
  readonly removes: number;
  readonly members: number;
}

const NO_CREATIONS: Creations = { actions: [], byIdentity: new Map(), byDomain: new Map() };

function emptyParts(): PlanParts {
  return { actions: [], rules: [], warnings: [], errors: [], memberships: [], matches: [] };
}

/** The early resolution of an entry, when its members and its rules' buckets are as it saw them. */
function stillValid(
  early: EarlyResolution | undefined,
  members: readonly LiveProfile[],
  buckets: ReadonlyArray<readonly LiveProfile[]>,
): early is EarlyResolution {
  if (early === undefined || early.members !== members.length) return false;
  for (const bucket of buckets) if (bucket.length !== 1) return false;
  return true;
}

function appendParts(to: PlanParts, from: PlanParts): void {
  for (const a of from.actions) to.actions.push(a);
  for (const r of from.rules) to.rules.push(r);
  for (const w of from.warnings) to.warnings.push(w);
  for (const e of from.errors) to.errors.push(e);
  for (const m of from.memberships) to.memberships.push(m);
  for (const m of from.matches) to.matches.push(m);
}

function planFromIndex(
  desired: DesiredState,
  live: LiveState,
  matching: GroupMatching,
  index: LiveIndex,
  options: DiffOptions,
  early: ReadonlyMap<number, EarlyResolution> = new Map(),
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
            code: "rename_case_only",
            group: group.key,
            message: `group "${group.key}": the live name "${liveGroup.name}" differs from "${group.name}" only in case or spacing; it will be renamed`,
          });
        }
      }
    }

    const members = liveGroup === undefined ? [] : (index.membersByGroup.get(liveGroup.id) ?? []);
    const buckets = index.ruleBuckets[groupIndex] ?? [];
    const settled = early.get(groupIndex);
    let adds: number;
    let removes: number;
    if (stillValid(settled, members, buckets)) {
      appendParts(parts, settled.parts);
      ({ adds, removes } = settled);
    } else {
      ({ adds, removes } = resolveMembers(
        { group, liveGroup, groupRef, members, buckets, creations },
        parts,
      ));
    }
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
      deletedGroups.push({ groupId: g.id, name: g.name, liveMembers: counts.get(g.id) ?? 0 });
      touch(g);
    }
  }

  const rank = new Map(ACTION_ORDER.map((type, i) => [type, i]));
  const actions = parts.actions.sort(
    (a, b) => (rank.get(a.type) ?? 0) - (rank.get(b.type) ?? 0) || compareStrings(a.address, b.address),
  );
  const count = (type: ActionType): number => actions.filter((a) => a.type === type).length;
  return {
    formatVersion: 1,
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
