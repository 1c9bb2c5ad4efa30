import { indexGroups } from "./live-index.js";
import { matchGroups } from "./match-groups.js";
import { createLivePhoneKey, liveEmailKey } from "./normalize.js";
import type { DesiredState, LiveProfile, LiveState, Plan, Rule } from "./types.js";

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
  const { matches } = matchGroups(desired, indexGroups(live));
  const managed = new Map<string, { emails: Set<string>; phones: Set<string>; ids: Set<string> }>();
  for (const m of matches) {
    if (m.live !== undefined && !m.failed) {
      managed.set(m.live.id, { emails: new Set(), phones: new Set(), ids: new Set() });
    }
  }
  const needPhone = desired.groups.some((g) => g.rules.some((r) => r.kind === "phone"));
  const phoneKey = needPhone ? createLivePhoneKey(desired.country) : undefined;
  for (const p of live.profiles) {
    for (const id of p.groupIds) {
      const keys = managed.get(id);
      if (keys !== undefined) addKeys(keys, p, phoneKey);
    }
  }
  const result: RuleLookup[] = [];
  for (const m of matches) {
    const keys = m.live === undefined || m.failed ? undefined : managed.get(m.live.id);
    const seen = new Set<string>();
    for (const rule of m.desired.rules) {
      const id = `${rule.kind}:${rule.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (keys === undefined || m.desired.match === "all" || !satisfied(rule, keys)) {
        result.push({ group: m.desired.key, rule });
      }
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

function addKeys(
  keys: { emails: Set<string>; phones: Set<string>; ids: Set<string> },
  p: LiveProfile,
  phoneKey: ((raw: string) => string | undefined) | undefined,
): void {
  keys.ids.add(p.id);
  const email = p.emailAddress === undefined ? undefined : liveEmailKey(p.emailAddress);
  if (email !== undefined) keys.emails.add(email);
  const phone = p.phoneNumber === undefined || phoneKey === undefined ? undefined : phoneKey(p.phoneNumber);
  if (phone !== undefined) keys.phones.add(phone);
}

function satisfied(
  rule: Rule,
  keys: { emails: Set<string>; phones: Set<string>; ids: Set<string> },
): boolean {
  switch (rule.kind) {
    case "email":
      return keys.emails.has(rule.value);
    case "phone":
      return keys.phones.has(rule.value);
    case "customer_id":
      return keys.ids.has(rule.value);
    case "email_domain":
      return false;
  }
}
