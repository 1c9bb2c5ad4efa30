/**
 * The domain contract shared by every package: desired state (from groups.yaml), live state
 * (from Square), and the plan that turns one into the other. See ../shared/DESIGN.md §2-§4.
 *
 * Everything here is plain data (JSON-serialisable, no classes, no Maps) so that plans can be
 * saved to a file, compared byte for byte, and read back.
 */

/** `authoritative`: remove live members no rule matches. `additive`: never remove. */
export type Membership = "authoritative" | "additive";
/** `one`: a rule is satisfied by one matching profile. `all`: every matching profile is added. */
export type MatchMode = "one" | "all";
/** What a rule that matches no profile does: warn and skip, fail the plan, or create the profile. */
export type MissingMode = "skip" | "error" | "create";
/** Live groups that no entry of groups.yaml claims: leave them alone, or delete them. */
export type UnmanagedGroups = "ignore" | "delete";

/** The kinds of member rule groups.yaml knows. */
export type RuleKind = "email" | "phone" | "email_domain" | "customer_id";

/**
 * One member rule, already normalized by @groupsync/config:
 * - `email`: trimmed, lower-cased (`ada@example.com`)
 * - `phone`: E.164 (`+14155550100`)
 * - `email_domain`: trimmed, lower-cased, without `@` (`example.org`)
 * - `customer_id`: as written
 */
export interface Rule {
  readonly kind: RuleKind;
  /** The normalized value that matching compares. */
  readonly value: string;
}

/** One entry of `groups:` with every default applied. */
export interface DesiredGroup {
  /** The stable handle (`[a-z0-9][a-z0-9_-]*`), used in addresses. */
  readonly key: string;
  /** The group's name in Square, exactly as groups.yaml writes it (spaces, case and Unicode form kept). */
  readonly name: string;
  /** Earlier names, matched for a rename (never a create). */
  readonly previously: readonly string[];
  /** Optional pin to a Square group ID. */
  readonly id?: string;
  readonly membership: Membership;
  readonly match: MatchMode;
  readonly missing: MissingMode;
  /**
   * `max_removals`: more removals than this from the group are a mass removal, in place of the
   * default thresholds (DESIGN.md §2). Absent: the thresholds apply.
   */
  readonly maxRemovals?: number;
  readonly rules: readonly Rule[];
}

/** Thresholds of DESIGN.md §5: a removal is "mass" when it exceeds both. */
export interface SafetyThresholds {
  /** Share of a group's live members (default 0.25: more than 25%). */
  readonly maxRemovalFraction: number;
  /** Absolute number of members (default 10: more than 10). */
  readonly maxRemovalCount: number;
}

/** The whole of groups.yaml, normalized. */
export interface DesiredState {
  /** Phone region used for numbers written without `+` (ISO 3166-1 alpha-2, e.g. `US`). */
  readonly country: string;
  readonly unmanagedGroups: UnmanagedGroups;
  readonly groups: readonly DesiredGroup[];
}

/** A customer group as Square returns it. */
export interface LiveGroup {
  readonly id: string;
  readonly name: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

/**
 * A customer profile as far as groupsync needs it. `groupIds` is the truth for membership
 * (when it comes from Retrieve/BulkRetrieve; search results may lag, see DESIGN.md §1).
 */
export interface LiveProfile {
  readonly id: string;
  /** RFC 3339, used to pick the oldest profile for `match: one`. */
  readonly createdAt: string;
  /** As stored in Square (any case). */
  readonly emailAddress?: string;
  /** As stored in Square (any format); core normalizes it with the desired state's country. */
  readonly phoneNumber?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly groupIds: readonly string[];
  /** Square's optimistic-concurrency version of the profile. */
  readonly version?: number;
}

/**
 * What the reader found in the account. `profiles` holds every profile the reader knows:
 * the members of each managed group plus whatever look-ups found for unsatisfied rules.
 * Core matches rules against exactly these profiles.
 */
export interface LiveState {
  readonly groups: readonly LiveGroup[];
  readonly profiles: readonly LiveProfile[];
}

/** A reference to a group: an existing one by ID, or one that a `create_group` action makes. */
export type GroupRef = { readonly id: string } | { readonly created: string /* address of create_group */ };
/** A reference to a profile: an existing one by ID, or one that a `create_customer` action makes. */
export type CustomerRef =
  { readonly id: string } | { readonly created: string /* address of create_customer */ };

/**
 * Who a member is, for display. `inFile` says whether groups.yaml already holds this identity
 * (a rule's value); identities not in the file are personal data and are masked when redacting.
 */
export interface Identity {
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  readonly inFile: boolean;
}

export type ActionType =
  "create_group" | "rename_group" | "create_customer" | "add_member" | "remove_member" | "delete_group";

interface ActionBase {
  readonly type: ActionType;
  /** Unique, stable, Terraform-like: `group.vip`, `member.vip["ada@example.com"]`. */
  readonly address: string;
}

export interface CreateGroupAction extends ActionBase {
  readonly type: "create_group";
  readonly group: string;
  readonly name: string;
}

export interface RenameGroupAction extends ActionBase {
  readonly type: "rename_group";
  readonly group: string;
  readonly groupId: string;
  /** Precondition: the live group is still called this. */
  readonly from: string;
  readonly to: string;
}

export interface CreateCustomerAction extends ActionBase {
  readonly type: "create_customer";
  /**
   * The key of the group that asked for it: the first in file order when several groups name
   * the same person (one profile per person; the others' `add_member` reference this action).
   */
  readonly group: string;
  /** Label of the rule that asked for it (`ada@example.com`, `+14155550100`). */
  readonly rule: string;
  /** The profile to create (Square's field names). */
  readonly customer: { readonly email_address?: string; readonly phone_number?: string };
}

export interface AddMemberAction extends ActionBase {
  readonly type: "add_member";
  readonly group: string;
  readonly groupRef: GroupRef;
  readonly customer: CustomerRef;
  /** Label of the rule that selected this profile. */
  readonly rule: string;
  readonly identity: Identity;
}

export interface RemoveMemberAction extends ActionBase {
  readonly type: "remove_member";
  readonly group: string;
  readonly groupId: string;
  readonly customerId: string;
  readonly identity: Identity;
}

export interface DeleteGroupAction extends ActionBase {
  readonly type: "delete_group";
  readonly groupId: string;
  readonly name: string;
}

export type Action =
  | CreateGroupAction
  | RenameGroupAction
  | CreateCustomerAction
  | AddMemberAction
  | RemoveMemberAction
  | DeleteGroupAction;

/** How one rule resolved against the live profiles. */
export interface RuleResolution {
  readonly group: string;
  /** `ada@example.com`, `+14155550100`, `@example.org`, `id:JDKYHBWT1D4F8MFH63DBMEN8Y4`. */
  readonly rule: string;
  readonly kind: RuleKind;
  /**
   * matched: one profile, or several where the rule takes every match (`match: all`,
   * `email_domain`); ambiguous: several where one is wanted (see `profileIds`); not_found: none.
   */
  readonly status: "matched" | "not_found" | "ambiguous";
  /** Every matching profile ID, sorted by (createdAt, id). */
  readonly profileIds: readonly string[];
}

/** How a desired group found its live counterpart. */
export interface GroupResolution {
  readonly group: string;
  readonly name: string;
  readonly matchedBy: "id" | "name" | "previously" | "none";
  readonly groupId?: string;
  /** Live members before the plan. */
  readonly liveMembers: number;
  /** Members after the plan. */
  readonly desiredMembers: number;
}

/**
 * Stable codes of plan warnings (public API, in the JSON plan). Warnings and errors share the
 * `GS_CORE_` prefix: `GS_CORE_RULE_NOT_FOUND` is a warning under `missing: skip`, an error under
 * `missing: error`.
 */
export type WarningCode =
  | "GS_CORE_DUPLICATE_PROFILES"
  | "GS_CORE_RULE_NOT_FOUND"
  | "GS_CORE_RENAME_CASE_ONLY"
  /** `missing: create` on a rule that cannot create a profile (email_domain, customer_id). */
  | "GS_CORE_CANNOT_CREATE";

export interface PlanWarning {
  readonly code: WarningCode;
  readonly group?: string;
  readonly rule?: string;
  readonly message: string;
}

/** Stable codes of plan errors (public API, in the JSON plan). */
export type PlanErrorCode =
  | "GS_CORE_PINNED_GROUP_NOT_FOUND"
  | "GS_CORE_GROUP_CLAIMED_TWICE"
  | "GS_CORE_DUPLICATE_LIVE_GROUP_NAME"
  | "GS_CORE_RULE_NOT_FOUND";

/** A problem that makes the plan unusable (the CLI exits 1). */
export interface PlanError {
  readonly code: PlanErrorCode;
  readonly group?: string;
  readonly rule?: string;
  readonly message: string;
  /** What the user can do about it, e.g. "pin the group with `id:`". */
  readonly hint?: string;
}

/** A group whose removals exceed the thresholds of DESIGN.md §5. */
export interface MassRemoval {
  readonly group: string;
  readonly removing: number;
  readonly liveMembers: number;
  /**
   * `threshold`: more than both thresholds; `max_removals`: more than the group's `max_removals`
   * (see `limit`); `no_rules`: an authoritative group without rules that has live members
   * (DESIGN.md §5); `delete`: a `delete_group` of a group with more members than the count
   * threshold (`group` is then its address, `group["<ID>"]`). Always set by `diff`.
   */
  readonly reason?: "threshold" | "max_removals" | "no_rules" | "delete";
  /** The group's `max_removals`, when it has one. */
  readonly limit?: number;
}

/** A live group a `delete_group` action removes (DESIGN.md §5: listed for `--allow-delete`). */
export interface GroupDeletion {
  readonly groupId: string;
  readonly name: string;
  /** Members the group has: Square's count when the reader asked it (`memberCounts`), else the live state's. */
  readonly liveMembers: number;
}

/** A live group as the plan saw it: a saved plan is stale when it no longer holds. */
export interface GroupPrecondition {
  readonly groupId: string;
  /** The group's exact name when planned. */
  readonly name: string;
}

/** A membership as the plan saw it: a saved plan is stale when it no longer holds. */
export interface MembershipPrecondition {
  readonly customerId: string;
  readonly groupId: string;
  /** Whether the profile was in the group when planned (add: false, remove: true). */
  readonly member: boolean;
  /** The profile's `version` when planned, when the live state had it (informational). */
  readonly version?: number;
}

/**
 * A profile an `add_member` adds and the rule that selected it: a saved plan is stale when the
 * profile no longer matches that rule (its email, phone or domain changed since the plan).
 */
export interface MatchPrecondition {
  readonly customerId: string;
  readonly kind: RuleKind;
  /** The rule's normalized value (see {@link Rule}). */
  readonly value: string;
}

/**
 * An email or phone a `create_customer` makes a profile for: a saved plan is stale when a
 * profile has it now (someone signed up at the point of sale meanwhile).
 */
export interface AbsentProfilePrecondition {
  readonly kind: "email" | "phone";
  /** Normalized: a lower-cased email or an E.164 phone. */
  readonly value: string;
}

/**
 * What must still be true for a saved plan to apply (DESIGN.md §5, `apply plan.json`): the live
 * objects each action touches, as they were when planned. Sorted, deduplicated.
 */
export interface PlanPreconditions {
  /** Every live group a rename, add, remove or delete touches: its ID and exact name. */
  readonly groups: readonly GroupPrecondition[];
  /**
   * Names the plan creates groups with (as written in the file): no live group may carry one
   * of them (compared as groups are matched: NFC, trimmed, whitespace collapsed, case-insensitive).
   */
  readonly absentGroupNames: readonly string[];
  /** Every (profile, group) pair an add or remove touches. */
  readonly memberships: readonly MembershipPrecondition[];
  /** Every existing profile an add touches, with the rule that selected it. */
  readonly matches: readonly MatchPrecondition[];
  /** Every email/phone a `create_customer` creates a profile for. */
  readonly absentProfiles: readonly AbsentProfilePrecondition[];
  /** `defaults.country` when planned: the region stored phones without `+` are read in. */
  readonly country: string;
}

export interface PlanSummary {
  readonly create: number;
  readonly rename: number;
  readonly createCustomer: number;
  readonly add: number;
  readonly remove: number;
  readonly delete: number;
}

/** The output of `diff`: data only, rendered by the renderers and applied by @groupsync/square. */
export interface Plan {
  /** Schema version of this object (and of `--format json`); 2 since the codes are `GS_CORE_*`. */
  readonly formatVersion: 2;
  /** Set by `renderJson`/`parsePlanJson`: whether identities not in the file were masked. */
  readonly redacted?: boolean;
  /** In apply order (DESIGN.md §4), then by address. */
  readonly actions: readonly Action[];
  readonly groups: readonly GroupResolution[];
  readonly rules: readonly RuleResolution[];
  readonly warnings: readonly PlanWarning[];
  readonly errors: readonly PlanError[];
  readonly summary: PlanSummary;
  readonly safety: {
    readonly massRemovals: readonly MassRemoval[];
    readonly deletes: number;
    /** The groups `delete_group` actions remove. Always set by `diff`. */
    readonly deletedGroups?: readonly GroupDeletion[];
    /** The thresholds the plan was checked against. Always set by `diff`. */
    readonly thresholds?: SafetyThresholds;
  };
  /** Stale detection for saved plans. Always set by `diff`. */
  readonly preconditions?: PlanPreconditions;
  /** Removals the plan holds back (`withoutRemovals`): listed, never applied. */
  readonly kept?: KeptActions;
}

/** Actions a plan holds back, and why (`no_removals`: an additions-only run, DESIGN.md §5). */
export interface KeptActions {
  readonly reason: "no_removals";
  /** In apply order, then by address, as they were in the plan. */
  readonly actions: readonly (RemoveMemberAction | DeleteGroupAction)[];
}
