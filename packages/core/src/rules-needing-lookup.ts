import { indexGroups } from "./live-index.js";
import { matchGroups } from "./match-groups.js";
import { createLivePhoneKey, liveEmailKey } from "./normalize.js";
import type { DesiredState, LiveState, Plan, Rule, RuleKind } from "./types.js";

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
 * Members are compared with rules as `diff` compares them.
 */
export function rulesNeedingLookup(desired: DesiredState, live: LiveState): RuleLookup[] {
  const { matches } = matchGroups(desired, indexGroups(live));
  const members = new Map<string, MemberKeys>();
  for (const m of matches) if (m.live !== undefined && !m.failed) members.set(m.live.id, emptyKeys());
  const phoneKey = livePhoneKeyFor(desired);
  for (const profile of live.profiles) {
    for (const groupId of profile.groupIds) {
      const keys = members.get(groupId);
      if (keys === undefined) continue;
      keys.customer_id.add(profile.id);
      const email = profile.emailAddress === undefined ? undefined : liveEmailKey(profile.emailAddress);
      if (email !== undefined) keys.email.add(email);
      const phone = profile.phoneNumber === undefined ? undefined : phoneKey?.(profile.phoneNumber);
      if (phone !== undefined) keys.phone.add(phone);
    }
  }
  const result: RuleLookup[] = [];
  for (const m of matches) {
    const keys = m.live === undefined || m.failed ? undefined : members.get(m.live.id);
    const one = m.desired.match === "one";
    const seen = new Set<string>();
    for (const rule of m.desired.rules) {
      const id = `${rule.kind}:${rule.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const satisfied = one && rule.kind !== "email_domain" && keys?.[rule.kind].has(rule.value) === true;
      if (!satisfied) result.push({ group: m.desired.key, rule });
    }
  }
  return result;
}

/** What a group's members satisfy `match: one` rules by: IDs, emails and phones as rules hold them. */
type MemberKeys = Record<Exclude<RuleKind, "email_domain">, Set<string>>;

function emptyKeys(): MemberKeys {
  return { customer_id: new Set(), email: new Set(), phone: new Set() };
}

/** The E.164 key of a stored phone number, or `undefined` when no rule names a phone. */
function livePhoneKeyFor(desired: DesiredState): ((raw: string) => string | undefined) | undefined {
  const phones = new Set(
    desired.groups.flatMap((g) => g.rules.flatMap((r) => (r.kind === "phone" ? [r.value] : []))),
  );
  return phones.size > 0 ? createLivePhoneKey(desired.country, phones) : undefined;
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
