import { ACTION_ORDER } from "./diff.js";
import type { Action, ActionType, Plan, PlanErrorCode, RuleKind, WarningCode } from "./types.js";

/** The result of {@link parsePlanJson}: a plan, or one sentence saying what is wrong. */
export type ParsePlanResult =
  { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly error: string };

type Json = unknown;
class Invalid extends Error {}

/**
 * Reads a plan saved by `renderJson` (e.g. `groupsync plan --out plan.json`) and checks its shape:
 * the format version, every action's fields, references between actions, and that the summary
 * counts the actions. A formatVersion 1 document (groupsync before the `GS_CORE_*` codes) is read
 * as version 2, its warning and error codes renamed. Never throws; a damaged or foreign file
 * gives `{ ok: false, error }`.
 */
export function parsePlanJson(text: string): ParsePlanResult {
  let data: Json;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: "the plan file is not valid JSON" };
  }
  try {
    return { ok: true, plan: checkPlan(data) };
  } catch (error) {
    if (error instanceof Invalid)
      return { ok: false, error: `the plan file is not a groupsync plan: ${error.message}` };
    throw error;
  }
}

/**
 * The same checks as {@link parsePlanJson} on a value already parsed, e.g. the `plan` field of a
 * plan file with its own envelope. Never throws.
 */
export function validatePlan(data: unknown): ParsePlanResult {
  try {
    return { ok: true, plan: checkPlan(data) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: `not a groupsync plan: ${error.message}` };
    throw error;
  }
}

function checkPlan(data: Json): Plan {
  const plan = object(data, "the document");
  if (plan.formatVersion !== 1 && plan.formatVersion !== 2) {
    throw new Invalid(
      `formatVersion ${JSON.stringify(plan.formatVersion)} is not supported (expected 1 or 2)`,
    );
  }
  const actions = array(plan.actions, "actions").map((a, i) => checkAction(a, `actions[${i}]`));
  const addresses = new Set<string>();
  const rank = new Map<ActionType, number>(ACTION_ORDER.map((t, i) => [t, i]));
  for (const [i, a] of actions.entries()) {
    if (addresses.has(a.address)) throw new Invalid(`actions[${i}]: address ${a.address} appears twice`);
    addresses.add(a.address);
    const previous = actions[i - 1];
    if (previous !== undefined && (rank.get(previous.type) ?? 0) > (rank.get(a.type) ?? 0)) {
      throw new Invalid(`actions[${i}]: ${a.type} after ${previous.type} breaks the apply order`);
    }
  }
  for (const [i, a] of actions.entries()) {
    if (a.type !== "add_member") continue;
    for (const ref of [a.groupRef, a.customer]) {
      if ("created" in ref && !addresses.has(ref.created)) {
        throw new Invalid(`actions[${i}]: refers to ${ref.created}, which the plan does not create`);
      }
    }
  }
  const summary = object(plan.summary, "summary");
  const counts: Record<string, ActionType> = {
    create: "create_group",
    rename: "rename_group",
    createCustomer: "create_customer",
    add: "add_member",
    remove: "remove_member",
    delete: "delete_group",
  };
  for (const [field, type] of Object.entries(counts)) {
    const expected = actions.filter((a) => a.type === type).length;
    if (summary[field] !== expected)
      throw new Invalid(`summary.${field} is not the number of ${type} actions`);
  }
  for (const field of ["groups", "rules", "warnings", "errors"] as const) array(plan[field], field);
  const safety = object(plan.safety, "safety");
  array(safety.massRemovals, "safety.massRemovals");
  number(safety.deletes, "safety.deletes");
  if (plan.preconditions !== undefined) {
    const pre = object(plan.preconditions, "preconditions");
    array(pre.groups, "preconditions.groups").forEach((g, i) => {
      const o = object(g, `preconditions.groups[${i}]`);
      string(o.groupId, `preconditions.groups[${i}].groupId`);
      string(o.name, `preconditions.groups[${i}].name`);
    });
    array(pre.absentGroupNames, "preconditions.absentGroupNames").forEach((n, i) =>
      string(n, `preconditions.absentGroupNames[${i}]`),
    );
    array(pre.memberships, "preconditions.memberships").forEach((m, i) => {
      const o = object(m, `preconditions.memberships[${i}]`);
      string(o.customerId, `preconditions.memberships[${i}].customerId`);
      string(o.groupId, `preconditions.memberships[${i}].groupId`);
      boolean(o.member, `preconditions.memberships[${i}].member`);
    });
    // Recorded since creations and additions are re-checked too: a plan without them was made
    // by an older groupsync, and applying it would check less than it promises.
    if (pre.matches === undefined || pre.absentProfiles === undefined || pre.country === undefined) {
      throw new Invalid(
        "preconditions lack matches, absentProfiles or country (it was made by an older groupsync)",
      );
    }
    array(pre.matches, "preconditions.matches").forEach((m, i) => {
      const o = object(m, `preconditions.matches[${i}]`);
      string(o.customerId, `preconditions.matches[${i}].customerId`);
      oneOf(o.kind, RULE_KINDS, `preconditions.matches[${i}].kind`);
      string(o.value, `preconditions.matches[${i}].value`);
    });
    array(pre.absentProfiles, "preconditions.absentProfiles").forEach((m, i) => {
      const o = object(m, `preconditions.absentProfiles[${i}]`);
      oneOf(o.kind, ["email", "phone"], `preconditions.absentProfiles[${i}].kind`);
      string(o.value, `preconditions.absentProfiles[${i}].value`);
    });
    string(pre.country, "preconditions.country");
  }
  if (plan.kept !== undefined) {
    const kept = object(plan.kept, "kept");
    if (kept.reason !== "no_removals") throw new Invalid(`kept.reason must be "no_removals"`);
    array(kept.actions, "kept.actions").forEach((a, i) => {
      const action = checkAction(a, `kept.actions[${i}]`);
      if (action.type !== "remove_member" && action.type !== "delete_group") {
        throw new Invalid(`kept.actions[${i}]: only removals are kept, not ${action.type}`);
      }
      if (addresses.has(action.address)) {
        throw new Invalid(`kept.actions[${i}]: address ${action.address} is also an action`);
      }
    });
  }
  if (plan.redacted !== undefined) boolean(plan.redacted, "redacted");
  return plan.formatVersion === 1 ? upgradeVersion1(plan) : (plan as unknown as Plan);
}

/** The codes of formatVersion 1, by the names version 2 gave them (the only change between them). */
const VERSION_1_CODES: Readonly<Record<string, WarningCode | PlanErrorCode>> = {
  duplicate_profiles: "GS_CORE_DUPLICATE_PROFILES",
  rule_not_found: "GS_CORE_RULE_NOT_FOUND",
  rename_case_only: "GS_CORE_RENAME_CASE_ONLY",
  cannot_create: "GS_CORE_CANNOT_CREATE",
  pinned_group_not_found: "GS_CORE_PINNED_GROUP_NOT_FOUND",
  group_claimed_twice: "GS_CORE_GROUP_CLAIMED_TWICE",
  duplicate_live_group_name: "GS_CORE_DUPLICATE_LIVE_GROUP_NAME",
};

/** A version 1 document as version 2: its warning and error codes renamed, nothing else. */
function upgradeVersion1(plan: Record<string, Json>): Plan {
  const renamed = (field: "warnings" | "errors") =>
    array(plan[field], field).map((entry, i) => {
      const e = object(entry, `${field}[${i}]`);
      const code = typeof e.code === "string" ? VERSION_1_CODES[e.code] : undefined;
      return code === undefined ? e : { ...e, code };
    });
  return {
    ...plan,
    formatVersion: 2,
    warnings: renamed("warnings"),
    errors: renamed("errors"),
  } as unknown as Plan;
}

function checkAction(data: Json, at: string): Action {
  const a = object(data, at);
  const type = string(a.type, `${at}.type`);
  string(a.address, `${at}.address`);
  switch (type) {
    case "create_group":
      string(a.group, `${at}.group`);
      string(a.name, `${at}.name`);
      break;
    case "rename_group":
      for (const f of ["group", "groupId", "from", "to"]) string(a[f], `${at}.${f}`);
      break;
    case "create_customer": {
      string(a.group, `${at}.group`);
      string(a.rule, `${at}.rule`);
      const c = object(a.customer, `${at}.customer`);
      if (c.email_address === undefined && c.phone_number === undefined) {
        throw new Invalid(`${at}.customer needs email_address or phone_number`);
      }
      if (c.email_address !== undefined) string(c.email_address, `${at}.customer.email_address`);
      if (c.phone_number !== undefined) string(c.phone_number, `${at}.customer.phone_number`);
      break;
    }
    case "add_member":
      string(a.group, `${at}.group`);
      string(a.rule, `${at}.rule`);
      ref(a.groupRef, `${at}.groupRef`);
      ref(a.customer, `${at}.customer`);
      identity(a.identity, `${at}.identity`);
      break;
    case "remove_member":
      for (const f of ["group", "groupId", "customerId"]) string(a[f], `${at}.${f}`);
      identity(a.identity, `${at}.identity`);
      break;
    case "delete_group":
      string(a.groupId, `${at}.groupId`);
      string(a.name, `${at}.name`);
      break;
    default:
      throw new Invalid(`${at}.type ${JSON.stringify(type)} is not an action groupsync knows`);
  }
  return a as unknown as Action;
}

function ref(data: Json, at: string): void {
  const r = object(data, at);
  if (typeof r.id === "string" ? r.created !== undefined : typeof r.created !== "string") {
    throw new Invalid(`${at} needs exactly one of id and created`);
  }
}

function identity(data: Json, at: string): void {
  const i = object(data, at);
  boolean(i.inFile, `${at}.inFile`);
  for (const f of ["email", "phone", "name"]) if (i[f] !== undefined) string(i[f], `${at}.${f}`);
}

function object(data: Json, at: string): Record<string, Json> {
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new Invalid(`${at} must be an object`);
  return data as Record<string, Json>;
}

function array(data: Json, at: string): Json[] {
  if (!Array.isArray(data)) throw new Invalid(`${at} must be an array`);
  return data;
}

function string(data: Json, at: string): string {
  if (typeof data !== "string" || data === "") throw new Invalid(`${at} must be a non-empty string`);
  return data;
}

function number(data: Json, at: string): number {
  if (typeof data !== "number" || !Number.isInteger(data) || data < 0) {
    throw new Invalid(`${at} must be a whole number`);
  }
  return data;
}

const RULE_KINDS: readonly RuleKind[] = ["email", "phone", "email_domain", "customer_id"];

function oneOf(data: Json, values: readonly string[], at: string): void {
  if (typeof data !== "string" || !values.includes(data)) {
    throw new Invalid(`${at} must be one of ${values.join(", ")}`);
  }
}

function boolean(data: Json, at: string): boolean {
  if (typeof data !== "boolean") throw new Invalid(`${at} must be true or false`);
  return data;
}
