import { quoteText, type Plan } from "@groupsync/core";
import { CliError } from "./errors.js";

/** The overrides of DESIGN.md §5's safety guards. */
export interface Allowances {
  readonly massRemoval: boolean;
  readonly delete: boolean;
}

/**
 * Refuses a plan that removes more than the thresholds allow from a group, or deletes groups,
 * unless explicitly allowed (DESIGN.md §5). Core computes the figures; the CLI decides.
 */
export function checkSafety(plan: Plan, allow: Allowances): void {
  const problems: string[] = [];
  const flags: string[] = [];
  if (plan.safety.massRemovals.length > 0 && !allow.massRemoval) {
    for (const m of plan.safety.massRemovals) {
      const limit = m.limit === undefined ? "" : ` (its max_removals is ${m.limit})`;
      problems.push(
        m.reason === "delete"
          ? `deleting ${m.group}${deletedName(plan, m.group)} removes its ${m.liveMembers} members`
          : `it removes ${m.removing} of the ${m.liveMembers} members of group ${quoteText(m.group)}${limit}`,
      );
    }
    flags.push("--allow-mass-removal");
  }
  if (plan.safety.deletes > 0 && !allow.delete) {
    const members = (plan.safety.deletedGroups ?? []).reduce((n, d) => n + d.liveMembers, 0);
    const groups = plan.safety.deletes === 1 ? "1 group" : `${plan.safety.deletes} groups`;
    problems.push(
      `it deletes ${groups}${plan.safety.deletedGroups === undefined ? "" : ` holding ${members === 1 ? "1 member" : `${members} members`}`}`,
    );
    flags.push("--allow-delete");
  }
  if (problems.length === 0) return;
  throw new CliError("GS_CLI_PLAN_REFUSED", `Refusing this plan for safety: ${problems.join("; ")}.`, {
    hint: `Check the plan above. If it is what you want, run again with ${flags.join(" and ")}.`,
  });
}

/** ` "Old List"`: the live name of the deleted group at `address`, when the plan lists it. */
function deletedName(plan: Plan, address: string): string {
  const name = plan.safety.deletedGroups?.find(
    (d) => `group[${JSON.stringify(d.groupId)}]` === address,
  )?.name;
  return name === undefined ? "" : ` ${quoteText(name)}`;
}
