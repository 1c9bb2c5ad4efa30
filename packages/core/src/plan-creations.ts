import { customerAddress, memberAddress } from "./address.js";
import type { LiveIndex } from "./live-index.js";
import type { GroupMatch } from "./match-groups.js";
import { emailDomain } from "./normalize.js";
import { ruleIdentity } from "./identity.js";
import { ruleLabel } from "./rule-label.js";
import type { AddMemberAction, CreateCustomerAction, GroupRef, Identity, Rule } from "./types.js";

/** A profile the plan creates for a `missing: create` rule. */
export interface Creation {
  /** Address of its `create_customer` action. */
  readonly address: string;
  readonly group: string;
  /** The rule label of the identity (`ada@example.com`, `+14155550100`). */
  readonly label: string;
  readonly identity: Identity;
  readonly customer: CreateCustomerAction["customer"];
}

/** The profiles a plan creates, and what finds them. */
export interface Creations {
  readonly actions: readonly CreateCustomerAction[];
  /** By `kind:value` of the email/phone rule. */
  readonly byIdentity: ReadonlyMap<string, Creation>;
  /** Created emails by domain, for `email_domain` rules. */
  readonly byDomain: ReadonlyMap<string, readonly Creation[]>;
}

/**
 * The profiles `missing: create` rules make: one per person, even when several groups ask for it
 * (the first group in file order owns the action), so that the next plan finds one profile.
 */
export function planCreations(matches: readonly GroupMatch[], index: LiveIndex): Creations {
  const byIdentity = new Map<string, Creation>();
  const byDomain = new Map<string, Creation[]>();
  const actions: CreateCustomerAction[] = [];
  for (const [g, m] of matches.entries()) {
    if (m.failed || m.desired.missing !== "create") continue;
    for (const [r, rule] of m.desired.rules.entries()) {
      if (rule.kind !== "email" && rule.kind !== "phone") continue;
      const key = identityKey(rule);
      if (byIdentity.has(key) || (index.ruleBuckets[g]?.[r]?.length ?? 0) > 0) continue;
      const label = ruleLabel(rule);
      const creation: Creation = {
        address: customerAddress(m.desired.key, label),
        group: m.desired.key,
        label,
        identity: ruleIdentity(rule),
        customer: rule.kind === "email" ? { email_address: rule.value } : { phone_number: rule.value },
      };
      byIdentity.set(key, creation);
      actions.push({
        type: "create_customer",
        address: creation.address,
        group: creation.group,
        rule: label,
        customer: creation.customer,
      });
      const domain = rule.kind === "email" ? emailDomain(rule.value) : undefined;
      if (domain !== undefined) byDomain.set(domain, [...(byDomain.get(domain) ?? []), creation]);
    }
  }
  return { actions, byIdentity, byDomain };
}

const NONE: readonly Creation[] = [];

/**
 * The created profiles a rule will match once they exist: the same email/phone when no live
 * profile matches it, or every created email of a domain.
 */
export function creationsFor(creations: Creations, rule: Rule, liveMatches: number): readonly Creation[] {
  if (creations.actions.length === 0) return NONE;
  if (rule.kind === "email_domain") return creations.byDomain.get(rule.value) ?? NONE;
  if (liveMatches > 0 || rule.kind === "customer_id") return NONE;
  const creation = creations.byIdentity.get(identityKey(rule));
  return creation === undefined ? NONE : [creation];
}

/** Adds a profile this plan creates; addressed by the created identity, credited to `rule`. */
export function createdMemberAction(
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

function identityKey(rule: Rule): string {
  return `${rule.kind}:${rule.value}`;
}
