import { memberAddress } from "./address.js";
import { profileIdentity, liveIdentity } from "./identity.js";
import { createdMemberAction, creationsFor, type Creations } from "./plan-creations.js";
import { ruleLabel } from "./rule-label.js";
import type {
  Rule,
  Action,
  DesiredGroup,
  GroupRef,
  LiveGroup,
  LiveProfile,
  MatchPrecondition,
  MembershipPrecondition,
  PlanError,
  PlanWarning,
  RuleResolution,
} from "./types.js";

/** Where the parts of a plan are collected while groups are resolved. */
export interface PlanParts {
  readonly actions: Action[];
  readonly rules: RuleResolution[];
  readonly warnings: PlanWarning[];
  readonly errors: PlanError[];
  readonly memberships: MembershipPrecondition[];
  readonly matches: MatchPrecondition[];
}

export interface GroupMembers {
  readonly group: DesiredGroup;
  /** `undefined` for a group the plan creates. */
  readonly liveGroup: LiveGroup | undefined;
  readonly groupRef: GroupRef;
  /** Its live members. */
  readonly members: readonly LiveProfile[];
  /** The profiles each rule matches (same order as `group.rules`), oldest first. */
  readonly buckets: ReadonlyArray<readonly LiveProfile[]>;
  readonly creations: Creations;
}

/**
 * Resolves one group's rules and plans its adds and removes (DESIGN.md §3): `match: one` adds the
 * oldest matching profile unless one is already in (or being added to) the group; `match: all`
 * and `email_domain` add every matching profile; `authoritative` removes the live members no rule
 * matches; `missing` decides what a rule matching nothing does. Returns the counts.
 */
export function resolveMembers(input: GroupMembers, out: PlanParts): { adds: number; removes: number } {
  const { group, liveGroup, groupRef, members, buckets, creations } = input;
  const groupId = liveGroup?.id;
  const inGroup = (p: LiveProfile): boolean => groupId !== undefined && p.groupIds.includes(groupId);
  const kept = new Set<string>();
  // Profile IDs and create_customer addresses this group adds.
  const adding = new Set<string>();
  const seenRules = new Set<string>();
  let adds = 0;
  for (let ruleIndex = 0; ruleIndex < group.rules.length; ruleIndex++) {
    const rule = group.rules[ruleIndex] as Rule;
    const label = ruleLabel(rule);
    if (seenRules.has(label)) continue;
    seenRules.add(label);
    const matches = buckets[ruleIndex] ?? [];
    out.rules.push({
      group: group.key,
      rule: label,
      kind: rule.kind,
      // Several matches are only ambiguous where one profile is wanted: `match: all` and
      // `email_domain` rules take every match by design.
      status:
        matches.length === 0
          ? "not_found"
          : matches.length === 1 || group.match === "all" || rule.kind === "email_domain"
            ? "matched"
            : "ambiguous",
      profileIds: matches.map((p) => p.id),
    });
    if (matches.length > 1 && (rule.kind === "email" || rule.kind === "phone")) {
      const oldest = group.match === "one" ? "; the oldest one counts" : "";
      out.warnings.push({
        code: "GS_CORE_DUPLICATE_PROFILES",
        group: group.key,
        rule: label,
        message: `group "${group.key}": ${matches.length} profiles share ${label}${oldest}`,
      });
    }
    // A profile this plan creates (for this group or another) counts as a match: the next plan
    // will find it, so this one adds it already.
    const created = creationsFor(creations, rule, matches.length);
    for (const c of created) {
      if (adding.has(c.address)) continue;
      adding.add(c.address);
      adds++;
      out.actions.push(createdMemberAction(group.key, label, groupRef, c));
    }
    if (matches.length === 0) {
      if (created.length === 0) notFound(group, label, rule.kind, out);
      continue;
    }
    // Whether a match is in the group already (or added by an earlier rule): asked once each.
    let satisfied = false;
    for (const p of matches) {
      if (inGroup(p)) {
        kept.add(p.id);
        satisfied = true;
      } else if (adding.has(p.id)) satisfied = true;
    }
    // email_domain means "every profile of the domain" whatever `match` says (DESIGN.md §2).
    const every = group.match === "all" || rule.kind === "email_domain";
    let picked: readonly LiveProfile[];
    if (every) picked = matches.filter((p) => !inGroup(p) && !adding.has(p.id));
    else if (satisfied) picked = [];
    else picked = matches.slice(0, 1);
    // A rule naming one person addresses its add by its label; others by customer ID.
    const byLabel = picked.length === 1 && rule.kind !== "email_domain";
    for (const p of picked) {
      adding.add(p.id);
      adds++;
      out.actions.push({
        type: "add_member",
        address: memberAddress(group.key, byLabel ? label : p.id),
        group: group.key,
        groupRef,
        customer: { id: p.id },
        rule: label,
        identity: profileIdentity(p, rule),
      });
      if (liveGroup !== undefined) out.memberships.push(membership(p, liveGroup, false));
      out.matches.push({ customerId: p.id, kind: rule.kind, value: rule.value });
    }
  }

  let removes = 0;
  if (group.membership === "authoritative" && liveGroup !== undefined) {
    const removed = new Set<string>();
    for (const p of members) {
      if (kept.has(p.id) || removed.has(p.id)) continue;
      removed.add(p.id);
      removes++;
      out.actions.push({
        type: "remove_member",
        address: memberAddress(group.key, p.id),
        group: group.key,
        groupId: liveGroup.id,
        customerId: p.id,
        identity: liveIdentity(p),
      });
      out.memberships.push(membership(p, liveGroup, true));
    }
  }
  return { adds, removes };
}

function notFound(group: DesiredGroup, label: string, kind: string, out: PlanParts): void {
  if (group.missing === "error") {
    out.errors.push({
      code: "GS_CORE_RULE_NOT_FOUND",
      group: group.key,
      rule: label,
      message: `group "${group.key}": no customer profile matches ${label}`,
      hint: "create the profile in Square, fix the rule, or set `missing: skip` or `missing: create`",
    });
    return;
  }
  // `create` reaches here only for rules that cannot create a profile (domain, customer ID).
  const cannotCreate = group.missing === "create";
  out.warnings.push({
    code: cannotCreate ? "GS_CORE_CANNOT_CREATE" : "GS_CORE_RULE_NOT_FOUND",
    group: group.key,
    rule: label,
    message: cannotCreate
      ? `group "${group.key}": no customer profile matches ${label}, and a ${kind} rule cannot create one; skipped`
      : `group "${group.key}": no customer profile matches ${label}; skipped`,
  });
}

function membership(p: LiveProfile, group: LiveGroup, member: boolean): MembershipPrecondition {
  return {
    customerId: p.id,
    groupId: group.id,
    member,
    ...(p.version === undefined ? {} : { version: p.version }),
  };
}
