import { customerAddress, groupAddress, memberAddress, unmanagedGroupAddress } from "./address.js";
import { compareStrings, indexGroups, indexLive, type LiveIndex } from "./live-index.js";
import { matchGroups, type GroupMatch } from "./match-groups.js";
import { emailDomain, groupNameKey } from "./normalize.js";
import { ruleLabel } from "./rule-label.js";
import { DEFAULT_THRESHOLDS } from "./thresholds.js";
import type {
  Action,
  ActionType,
  AddMemberAction,
  CreateCustomerAction,
  GroupDeletion,
  GroupPrecondition,
  GroupRef,
  GroupResolution,
  Identity,
  LiveGroup,
  LiveProfile,
  LiveState,
  MassRemoval,
  MembershipPrecondition,
  Plan,
  PlanError,
  PlanWarning,
  RemoveMemberAction,
  Rule,
  RuleResolution,
  SafetyThresholds,
  DesiredState,
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
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const groupIndex = indexGroups(live);
  const matching = matchGroups(desired, groupIndex);
  const managed = matching.matches.flatMap((m) => (m.live !== undefined && !m.failed ? [m.live.id] : []));
  const index = indexLive(desired, live, groupIndex, managed);
  const errors: PlanError[] = [...matching.errors];
  const warnings: PlanWarning[] = [];
  const actions: Action[] = [];
  const groups: GroupResolution[] = [];
  const rules: RuleResolution[] = [];
  const massRemovals: MassRemoval[] = [];
  const groupPreconditions = new Map<string, GroupPrecondition>();
  const memberships: MembershipPrecondition[] = [];
  const absentGroupNames: string[] = [];

  const membersByGroup = index.membersByGroup;
  const creations = planCreations(matching.matches, index);
  const creationsByDomain = new Map<string, Creation[]>();
  for (const c of creations.values()) {
    actions.push({
      type: "create_customer",
      address: c.address,
      group: c.group,
      rule: c.label,
      customer: c.customer,
    });
    const domain = c.customer.email_address === undefined ? undefined : emailDomain(c.customer.email_address);
    if (domain !== undefined) creationsByDomain.set(domain, [...(creationsByDomain.get(domain) ?? []), c]);
  }

  for (const [groupIndex, match] of matching.matches.entries()) {
    const group = match.desired;
    const liveGroup = match.live;
    const members = liveGroup === undefined ? [] : (membersByGroup.get(liveGroup.id) ?? []);
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
      actions.push({ type: "create_group", address, group: group.key, name: group.name });
      absentGroupNames.push(group.name);
      groupRef = { created: address };
    } else {
      groupRef = { id: liveGroup.id };
      if (liveGroup.name !== group.name) {
        actions.push({
          type: "rename_group",
          address: groupAddress(group.key),
          group: group.key,
          groupId: liveGroup.id,
          from: liveGroup.name,
          to: group.name,
        });
        touchGroup(groupPreconditions, liveGroup);
        if (groupNameKey(liveGroup.name) === groupNameKey(group.name)) {
          warnings.push({
            code: "rename_case_only",
            group: group.key,
            message: `group "${group.key}": the live name "${liveGroup.name}" differs from "${group.name}" only in case or spacing; it will be renamed`,
          });
        }
      }
    }

    const inGroup = (p: LiveProfile): boolean => liveGroup !== undefined && p.groupIds.includes(liveGroup.id);
    const kept = new Set<string>();
    const adding = new Set<string>();
    let adds = 0;
    const seenRules = new Set<string>();
    const buckets = index.ruleBuckets[groupIndex] ?? [];
    for (const [ruleIndex, rule] of group.rules.entries()) {
      const label = ruleLabel(rule);
      if (seenRules.has(label)) continue;
      seenRules.add(label);
      const matches = buckets[ruleIndex] ?? [];
      rules.push({
        group: group.key,
        rule: label,
        kind: rule.kind,
        status: matches.length === 0 ? "not_found" : matches.length === 1 ? "matched" : "ambiguous",
        profileIds: matches.map((p) => p.id),
      });
      for (const p of matches) if (inGroup(p)) kept.add(p.id);
      if (matches.length > 1 && (rule.kind === "email" || rule.kind === "phone")) {
        warnings.push({
          code: "duplicate_profiles",
          group: group.key,
          rule: label,
          message: `group "${group.key}": ${matches.length} profiles share ${label}${group.match === "one" ? "; the oldest one counts" : ""}`,
        });
      }
      let created: readonly Creation[] = NO_CREATIONS;
      if (creations.size > 0) {
        if (rule.kind === "email_domain") created = creationsByDomain.get(rule.value) ?? NO_CREATIONS;
        else if (matches.length === 0 && (rule.kind === "email" || rule.kind === "phone")) {
          const c = creations.get(identityKey(rule));
          if (c !== undefined) created = [c];
        }
      }
      // A profile this plan creates (for this group or another) counts as a match: the next
      // plan will find it, so this one adds it already.
      for (const c of created) {
        if (adding.has(c.address)) continue;
        adding.add(c.address);
        adds++;
        actions.push(createdMemberAction(group.key, label, groupRef, c));
      }
      if (matches.length === 0) {
        if (created.length > 0) continue;
        if (group.missing === "error") {
          errors.push({
            code: "rule_not_found",
            group: group.key,
            rule: label,
            message: `group "${group.key}": no customer profile matches ${label}`,
            hint: "create the profile in Square, fix the rule, or set `missing: skip` or `missing: create`",
          });
        } else {
          const cannotCreate = group.missing === "create";
          warnings.push({
            code: cannotCreate ? "cannot_create" : "rule_not_found",
            group: group.key,
            rule: label,
            message: cannotCreate
              ? `group "${group.key}": no customer profile matches ${label}, and a ${rule.kind} rule cannot create one; skipped`
              : `group "${group.key}": no customer profile matches ${label}; skipped`,
          });
        }
        continue;
      }
      // email_domain means "every profile of the domain" whatever `match` says (DESIGN.md §2).
      const every = group.match === "all" || rule.kind === "email_domain";
      let picked: LiveProfile[];
      if (every) picked = matches.filter((p) => !inGroup(p) && !adding.has(p.id));
      else if (matches.some((p) => inGroup(p) || adding.has(p.id))) picked = [];
      else picked = matches.slice(0, 1);
      const byLabel = picked.length === 1 && rule.kind !== "email_domain";
      for (const p of picked) {
        adding.add(p.id);
        adds++;
        const action: AddMemberAction = {
          type: "add_member",
          address: memberAddress(group.key, byLabel ? label : p.id),
          group: group.key,
          groupRef,
          customer: { id: p.id },
          rule: label,
          identity: profileIdentity(p, rule),
        };
        actions.push(action);
        if (liveGroup !== undefined) memberships.push(membership(p, liveGroup, false));
      }
    }

    let removes = 0;
    if (group.membership === "authoritative" && liveGroup !== undefined) {
      for (const p of members) {
        if (kept.has(p.id)) continue;
        removes++;
        const action: RemoveMemberAction = {
          type: "remove_member",
          address: memberAddress(group.key, p.id),
          group: group.key,
          groupId: liveGroup.id,
          customerId: p.id,
          identity: liveIdentity(p),
        };
        actions.push(action);
        memberships.push(membership(p, liveGroup, true));
      }
      const noRules = group.rules.length === 0 && members.length > 0;
      const overThresholds =
        removes > thresholds.maxRemovalCount && removes > thresholds.maxRemovalFraction * members.length;
      if (noRules || overThresholds) {
        massRemovals.push({
          group: group.key,
          removing: removes,
          liveMembers: members.length,
          reason: overThresholds ? "threshold" : "no_rules",
        });
      }
    }
    if (liveGroup !== undefined && (adds > 0 || removes > 0)) touchGroup(groupPreconditions, liveGroup);
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
      actions.push({
        type: "delete_group",
        address: unmanagedGroupAddress(g.id),
        groupId: g.id,
        name: g.name,
      });
      deletedGroups.push({ groupId: g.id, name: g.name, liveMembers: counts.get(g.id) ?? 0 });
      touchGroup(groupPreconditions, g);
    }
  }

  const rank = new Map(ACTION_ORDER.map((type, i) => [type, i]));
  actions.sort(
    (a, b) => (rank.get(a.type) ?? 0) - (rank.get(b.type) ?? 0) || compareStrings(a.address, b.address),
  );
  const count = (type: ActionType): number => actions.filter((a) => a.type === type).length;
  return {
    formatVersion: 1,
    actions,
    groups,
    rules,
    warnings: warnings.sort(compareProblems),
    errors: errors.sort(compareProblems),
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
      groups: [...groupPreconditions.values()].sort((a, b) => compareStrings(a.groupId, b.groupId)),
      absentGroupNames: [...new Set(absentGroupNames)].sort(compareStrings),
      memberships: memberships.sort(
        (a, b) => compareStrings(a.groupId, b.groupId) || compareStrings(a.customerId, b.customerId),
      ),
    },
  };
}

const NO_CREATIONS: readonly Creation[] = [];

/** A profile the plan creates for a `missing: create` rule. */
interface Creation {
  readonly address: string;
  readonly group: string;
  readonly label: string;
  readonly identity: Identity;
  readonly customer: CreateCustomerAction["customer"];
}

/**
 * The profiles `missing: create` rules make: one per person, even when several groups ask for it
 * (the first group in file order owns the action), so that a second plan finds one profile.
 */
function planCreations(matches: readonly GroupMatch[], index: LiveIndex): Map<string, Creation> {
  const creations = new Map<string, Creation>();
  for (const m of matches) {
    if (m.failed || m.desired.missing !== "create") continue;
    for (const rule of m.desired.rules) {
      if (rule.kind !== "email" && rule.kind !== "phone") continue;
      const key = identityKey(rule);
      if (creations.has(key) || lookup(index, rule).length > 0) continue;
      const label = ruleLabel(rule);
      creations.set(key, {
        address: customerAddress(m.desired.key, label),
        group: m.desired.key,
        label,
        identity: ruleIdentity(rule),
        customer: rule.kind === "email" ? { email_address: rule.value } : { phone_number: rule.value },
      });
    }
  }
  return creations;
}

function identityKey(rule: Rule): string {
  return `${rule.kind}:${rule.value}`;
}

/** Adds a profile this plan creates; addressed by the created identity, credited to `rule`. */
function createdMemberAction(
  group: string,
  rule: string,
  groupRef: GroupRef,
  created: Creation,
): AddMemberAction {
  return {
    type: "add_member",
    address: memberAddress(group, created.label),
    group,
    groupRef,
    customer: { created: created.address },
    rule,
    identity: created.identity,
  };
}

/** The live profiles a rule matches, oldest first. */
export function lookup(index: LiveIndex, rule: Rule): readonly LiveProfile[] {
  switch (rule.kind) {
    case "email":
      return index.byEmail.get(rule.value) ?? [];
    case "phone":
      return index.byPhone.get(rule.value) ?? [];
    case "email_domain":
      return index.byDomain.get(rule.value) ?? [];
    case "customer_id":
      return index.byId.get(rule.value) ?? [];
  }
}

function countMembers(live: LiveState, ids: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  if (ids.size === 0) return counts;
  for (const p of live.profiles) {
    for (const id of p.groupIds) if (ids.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function touchGroup(pre: Map<string, GroupPrecondition>, group: LiveGroup): void {
  pre.set(group.id, { groupId: group.id, name: group.name });
}

function membership(p: LiveProfile, group: LiveGroup, member: boolean): MembershipPrecondition {
  return {
    customerId: p.id,
    groupId: group.id,
    member,
    ...(p.version === undefined ? {} : { version: p.version }),
  };
}

/** The identity a rule names (it is in the file). */
function ruleIdentity(rule: Rule): Identity {
  return rule.kind === "phone" ? { phone: rule.value, inFile: true } : { email: rule.value, inFile: true };
}

/** Who is added: the rule's own value when it names the person, else what Square holds (personal data). */
function profileIdentity(p: LiveProfile, rule: Rule): Identity {
  if (rule.kind === "email" || rule.kind === "phone") return { ...ruleIdentity(rule), ...nameOf(p) };
  return liveIdentity(p);
}

function liveIdentity(p: LiveProfile): Identity {
  return {
    ...(p.emailAddress === undefined ? {} : { email: p.emailAddress.trim() }),
    ...(p.phoneNumber === undefined ? {} : { phone: p.phoneNumber.trim() }),
    ...nameOf(p),
    inFile: false,
  };
}

function nameOf(p: LiveProfile): { name?: string } {
  const name = [p.givenName, p.familyName].filter((s) => s !== undefined && s.trim() !== "").join(" ");
  return name === "" ? {} : { name };
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
