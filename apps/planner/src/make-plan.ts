import { escapeText, type DesiredState, type Plan } from "@groupsync/core";
import { readAndPlan, type ReadProgressEvent } from "@groupsync/square";
import type { Connection } from "./connect.js";
import { CliError } from "./errors.js";
import type { Progress } from "./progress.js";
import { readKnownProfileIds } from "./state-file.js";

/**
 * read -> decide: the live state groups.yaml needs (DESIGN.md §7: the minimum reads, then
 * BulkRetrieve of every candidate), and the pure diff. Profiles created by recent applies
 * (state file) are passed to the reader, since search may not show them yet.
 */
export async function makePlan(
  connection: Connection,
  desired: DesiredState,
  options: { progress: Progress; statePath: string; now: Date },
): Promise<Plan> {
  const knownProfileIds = await readKnownProfileIds(
    options.statePath,
    connection.target.endpoint,
    options.now,
  );
  options.progress.quietLine("Reading the live account...");
  const { plan } = await readAndPlan(connection.client, desired, {
    knownProfileIds,
    onProgress: (event) => options.progress.update(...describeReadProgress(event)),
  });
  options.progress.done();
  return plan;
}

const READ_LABELS: Record<ReadProgressEvent["phase"], string> = {
  groups: "pages of groups listed",
  members: "groups' members read",
  lookups: "rules looked up",
  scan: "pages of customers scanned",
  verify: "candidates verified",
};

/** The label and counts of a read progress event, for the bar. */
function describeReadProgress(event: ReadProgressEvent): [string, number, number?] {
  const label = READ_LABELS[event.phase];
  return event.phase === "groups" ? [label, event.done] : [label, event.done, event.total];
}

/**
 * Plan errors (a pinned group gone, a group claimed twice...) stop the command. The renderers
 * show them with the plan; for markdown and json (often redirected) they are repeated on stderr.
 */
export function checkPlanErrors(plan: Plan, format: "text" | "markdown" | "json", file: string): void {
  if (plan.errors.length === 0) return;
  const lines = plan.errors.map(
    (e) => `  - ${escapeText(e.message)}${e.hint === undefined ? "" : `\n    Hint: ${escapeText(e.hint)}`}`,
  );
  const count = plan.errors.length === 1 ? "1 error" : `${plan.errors.length} errors`;
  throw new CliError("GS_CLI_PLAN_INVALID", `${file} cannot be applied to this account (${count}).`, {
    ...(format === "text" ? { hint: "See the errors in the plan above." } : { details: lines.join("\n") }),
  });
}
