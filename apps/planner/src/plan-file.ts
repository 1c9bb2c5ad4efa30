import { escapeQuotedUnsafe, validatePlan, type Plan } from "@groupsync/core";
import { planId as computePlanId } from "@groupsync/square";
import { CliError } from "./errors.js";
import { formatDuration } from "./duration.js";
import { readTextFile, writeFileAtomic } from "./files.js";

/**
 * Version of the plan file's own envelope (the plan inside has `formatVersion`). 2: the plan's
 * preconditions cover creations and additions (`matches`, `absentProfiles`); a version 1 file
 * does not record them and is refused rather than checked less than it promises.
 */
export const PLAN_FILE_VERSION = 2;
const MAX_PLAN_FILE_BYTES = 512 * 1024 * 1024;

/**
 * What `plan --out` writes and `apply PLANFILE` reads. The plan carries its preconditions
 * (each action names the live object and the state it expects: a rename's `from`, a member's
 * group and profile IDs); `planId` is the sha256 of the canonical plan JSON, checked on read
 * (a hand-edited plan is refused).
 */
export interface PlanFile {
  readonly groupsyncPlanFile: typeof PLAN_FILE_VERSION;
  readonly planId: string;
  /** The groupsync version that wrote it. */
  readonly createdBy: string;
  /**
   * When the plan was made (RFC 3339, the planning machine's clock), for `--max-plan-age`.
   * Undefined when read from a file without it. Not part of `planId`, which names the plan's
   * content: the same plan made twice has one ID.
   */
  readonly createdAt?: string;
  /** The Square endpoint the plan was read from: apply refuses it anywhere else. */
  readonly endpoint: string;
  /** groups.yaml as given to `plan`. */
  readonly config: string;
  /** The safety overrides given to `plan`; `apply` honours them. */
  readonly allow: { readonly massRemoval: boolean; readonly delete: boolean };
  readonly plan: Plan;
}

export function createPlanFile(input: Omit<PlanFile, "groupsyncPlanFile" | "planId">): PlanFile {
  return { groupsyncPlanFile: PLAN_FILE_VERSION, planId: computePlanId(input.plan), ...input };
}

export async function writePlanFile(
  path: string,
  display: string,
  file: PlanFile,
  redact: (text: string) => string,
): Promise<void> {
  await writeFileAtomic(path, `${escapeQuotedUnsafe(JSON.stringify(file, null, 2))}\n`, {
    display,
    redact,
    private: true,
  });
}

/** Reads and checks a plan file: its envelope, its versions and its planId. */
export async function readPlanFile(path: string, display: string): Promise<PlanFile> {
  const text = await readTextFile(path, { maxBytes: MAX_PLAN_FILE_BYTES, what: "plan file", display });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(display, "it is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null) throw invalid(display, "it is not a plan file");
  const file = parsed as Partial<PlanFile>;
  if (file.groupsyncPlanFile !== PLAN_FILE_VERSION) {
    throw invalid(
      display,
      file.groupsyncPlanFile === undefined
        ? "it is not a groupsync plan file (write one with `groupsync plan --out FILE`)"
        : file.groupsyncPlanFile === 1
          ? "it was written by an older groupsync, which did not record every precondition this one checks"
          : `its version ${String(file.groupsyncPlanFile)} is not one this groupsync reads`,
    );
  }
  if (typeof file.planId !== "string" || typeof file.endpoint !== "string") {
    throw invalid(display, "its planId or endpoint is missing");
  }
  // Core checks the plan: its version, its shape (plan.schema.json), references, the apply order.
  const checked = validatePlan(file.plan ?? null);
  if (!checked.ok) throw invalid(display, `its plan is ${checked.error}`);
  const plan = checked.plan;
  // The ID is of the plan as written: a formatVersion 1 plan is read with its codes renamed.
  if (computePlanId(file.plan as Plan) !== file.planId) {
    throw invalid(display, "its content does not match its planId (was it edited?)");
  }
  return {
    groupsyncPlanFile: PLAN_FILE_VERSION,
    planId: file.planId,
    createdBy: typeof file.createdBy === "string" ? file.createdBy : "unknown",
    ...(typeof file.createdAt === "string" ? { createdAt: file.createdAt } : {}),
    endpoint: file.endpoint,
    config: typeof file.config === "string" ? file.config : "groups.yaml",
    allow: {
      massRemoval: file.allow?.massRemoval === true,
      delete: file.allow?.delete === true,
    },
    plan,
  };
}

function invalid(display: string, reason: string): CliError {
  return new CliError("GS_CLI_PLAN_FILE_INVALID", `Cannot use ${display} as a plan: ${reason}.`, {
    hint: 'Make a new one with "groupsync plan --out FILE".',
  });
}

/**
 * Refuses a plan older than `maxAge` (`ms` 0: no limit; `text` as the user wrote it) at `now`, or made more than
 * `MAX_CLOCK_SKEW_MS` in the future, or whose age is unknown: what a reviewer saw a week ago
 * no longer describes the account (DESIGN.md §5). The clock is the caller's.
 */
export function checkPlanAge(
  file: PlanFile,
  display: string,
  maxAge: { readonly ms: number; readonly text: string },
  now: Date,
): void {
  if (maxAge.ms === 0) return;
  const limit = maxAge.text;
  const hint = `Make a new plan with "groupsync plan --out FILE", or accept this one with --max-plan-age 0 (or a longer age than ${limit}).`;
  const created = file.createdAt === undefined ? Number.NaN : Date.parse(file.createdAt);
  if (Number.isNaN(created)) {
    throw new CliError(
      "GS_CLI_PLAN_TOO_OLD",
      `${display} does not record when it was made, so its age is unknown.`,
      {
        hint,
      },
    );
  }
  const age = now.getTime() - created;
  if (age < -MAX_CLOCK_SKEW_MS) {
    throw new CliError(
      "GS_CLI_PLAN_TOO_OLD",
      `${display} was made ${formatDuration(-age)} in the future by this machine's clock (${file.createdAt}); its age cannot be told.`,
      { hint: `Check the clocks of the machine that planned and of this one. ${hint}` },
    );
  }
  if (age > maxAge.ms) {
    throw new CliError(
      "GS_CLI_PLAN_TOO_OLD",
      `${display} is ${formatDuration(age)} old (made ${file.createdAt}); the limit is ${limit} (--max-plan-age). Nothing was applied.`,
      { hint },
    );
  }
}

/** How far in the future a plan's creation time may be before it is refused: clocks drift. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
