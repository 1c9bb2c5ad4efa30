import { indexGroups, indexLive } from "./live-index.js";
import { matchGroups } from "./match-groups.js";
import type { DesiredState, LiveState, Plan, Rule } from "./types.js";

/** A rule the reader must look up in Square, with the key of its group. */
export interface RuleLookup {
  readonly group: string;
  readonly rule: Rule;
}

/**
 * The rules no current member of their group satisfies (DESIGN.md §7): the reader looks up only
 * these, so a plan without drift makes no look-ups. `live` holds the groups and their current
 * members. `match: all` and `email_domain` rules always need a look-up (a profile of the same
 * email or domain may exist outside the group). Rules of a group that does not exist yet, or
 * that cannot be matched, all need one. In file order of groups, then rules; duplicates removed.
 */
export function rulesNeedingLookup(desired: DesiredState, live: LiveState): RuleLookup[] {
  const groupIndex = indexGroups(live);
  const { matches } = matchGroups(desired, groupIndex);
  const index = indexLive(desired, live, groupIndex, []);
  const result: RuleLookup[] = [];
  for (const [groupIndex, m] of matches.entries()) {
    const groupId = m.live === undefined || m.failed ? undefined : m.live.id;
    const seen = new Set<string>();
    const buckets = index.ruleBuckets[groupIndex] ?? [];
    for (const [ruleIndex, rule] of m.desired.rules.entries()) {
      const id = `${rule.kind}:${rule.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const satisfied =
        groupId !== undefined &&
        m.desired.match === "one" &&
        rule.kind !== "email_domain" &&
        (buckets[ruleIndex] ?? []).some((p) => p.groupIds.includes(groupId));
      if (!satisfied) result.push({ group: m.desired.key, rule });
    }
  }
  return result;
}

/**
 * The IDs of the existing profiles a plan adds or removes, sorted and deduplicated: the reader
 * confirms them with BulkRetrieveCustomers before the plan is final (DESIGN.md §6).
 */
export function candidateProfileIds(plan: Plan): string[] {
  const ids = new Set<string>();
  for (const a of plan.actions) {
    if (a.type === "add_member" && "id" in a.customer) ids.add(a.customer.id);
    else if (a.type === "remove_member") ids.add(a.customerId);
  }
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
