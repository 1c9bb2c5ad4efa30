import { ACTION_ORDER } from "./diff.js";
import { describePlanError } from "./describe-plan-error.js";
import type { Action, ActionType, Plan, PlanErrorCode, WarningCode } from "./types.js";
import { validatePlanShape } from "./validate-plan.generated.js";

/** The result of {@link parsePlanJson}: a plan, or one sentence saying what is wrong. */
export type ParsePlanResult =
  { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly error: string };

/**
 * Reads a plan saved by `renderJson` (e.g. `groupsync plan --out plan.json`) and checks it: the
 * format version, its shape against `plan.schema.json` (every action's fields), references
 * between actions, the apply order, and that the summary counts the actions. A formatVersion 1
 * document (groupsync before the `GS_CORE_*` codes) is read as version 2, its warning and error
 * codes renamed. Never throws; a damaged or foreign file gives `{ ok: false, error }`.
 */
export function parsePlanJson(text: string): ParsePlanResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: "the plan file is not valid JSON" };
  }
  const problem = checkPlan(data);
  return problem === undefined
    ? { ok: true, plan: upgrade(data as Plan) }
    : { ok: false, error: `the plan file is not a groupsync plan: ${problem}` };
}

/**
 * The same checks as {@link parsePlanJson} on a value already parsed, e.g. the `plan` field of a
 * plan file with its own envelope. Never throws.
 */
export function validatePlan(data: unknown): ParsePlanResult {
  const problem = checkPlan(data);
  return problem === undefined
    ? { ok: true, plan: upgrade(data as Plan) }
    : { ok: false, error: `not a groupsync plan: ${problem}` };
}

/** What is wrong with `data` as a plan, in one sentence, or undefined. */
function checkPlan(data: unknown): string | undefined {
  // Which groupsync wrote it comes first: another version's plan may have another shape.
  if (isRecord(data)) {
    const version = data["formatVersion"];
    if (version !== 1 && version !== 2) {
      return `formatVersion ${JSON.stringify(version)} is not supported (expected 1 or 2)`;
    }
    const pre = data["preconditions"];
    // Creations and additions are re-checked too: a plan without their preconditions was made
    // by an older groupsync, and applying it would check less than it promises.
    if (isRecord(pre) && ["matches", "absentProfiles", "country"].some((k) => pre[k] === undefined)) {
      return "preconditions lack matches, absentProfiles or country (it was made by an older groupsync)";
    }
  }
  if (!validatePlanShape(data)) return describePlanError(validatePlanShape.errors ?? []);
  return checkConsistency(data as Plan);
}

/** What the schema cannot say: unique addresses, the apply order, references, the summary. */
function checkConsistency(plan: Plan): string | undefined {
  const { actions } = plan;
  const addresses = new Set<string>();
  const rank = new Map<ActionType, number>(ACTION_ORDER.map((t, i) => [t, i]));
  for (const [i, a] of actions.entries()) {
    if (addresses.has(a.address)) return `actions[${i}]: address ${a.address} appears twice`;
    addresses.add(a.address);
    const previous = actions[i - 1];
    if (previous !== undefined && (rank.get(previous.type) ?? 0) > (rank.get(a.type) ?? 0)) {
      return `actions[${i}]: ${a.type} after ${previous.type} breaks the apply order`;
    }
  }
  for (const [i, a] of (plan.kept?.actions ?? []).entries()) {
    if (a.type !== "remove_member" && a.type !== "delete_group") {
      return `kept.actions[${i}]: only removals are kept, not ${(a as Action).type}`;
    }
    if (addresses.has(a.address)) return `kept.actions[${i}]: address ${a.address} is also an action`;
  }
  for (const [i, a] of actions.entries()) {
    if (a.type !== "add_member") continue;
    for (const ref of [a.groupRef, a.customer]) {
      if ("created" in ref && !addresses.has(ref.created)) {
        return `actions[${i}]: refers to ${ref.created}, which the plan does not create`;
      }
    }
  }
  const counts: Record<keyof Plan["summary"], ActionType> = {
    create: "create_group",
    rename: "rename_group",
    createCustomer: "create_customer",
    add: "add_member",
    remove: "remove_member",
    delete: "delete_group",
  };
  for (const [field, type] of Object.entries(counts) as [keyof Plan["summary"], ActionType][]) {
    if (plan.summary[field] !== countOf(actions, type)) {
      return `summary.${field} is not the number of ${type} actions`;
    }
  }
  return undefined;
}

function countOf(actions: readonly Action[], type: ActionType): number {
  return actions.reduce((n, a) => (a.type === type ? n + 1 : n), 0);
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

/** A checked plan as version 2: a version 1 document gets its codes renamed, nothing else. */
function upgrade(plan: Plan): Plan {
  if ((plan.formatVersion as number) !== 1) return plan;
  const renamed = <P extends { readonly code: string }>(entries: readonly P[]): P[] =>
    entries.map((e) => {
      const code = VERSION_1_CODES[e.code];
      return code === undefined ? e : { ...e, code };
    });
  return { ...plan, formatVersion: 2, warnings: renamed(plan.warnings), errors: renamed(plan.errors) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
