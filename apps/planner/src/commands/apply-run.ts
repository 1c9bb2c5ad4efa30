import { resolve } from "node:path";
import { escapeText, withoutRemovals, type Plan } from "@groupsync/core";
import { SquareStalePlanError } from "@groupsync/square";
import { booleanOption, stringOption, type CommandContext } from "../command.js";
import { connect, describeCalls, type Connection } from "../connect.js";
import { executePlan } from "../apply-plan.js";
import { parseDuration } from "../duration.js";
import { CliError, UsageError } from "../errors.js";
import { checkPlanErrors } from "../make-plan.js";
import { checkPlanAge, readPlanFile } from "../plan-file.js";
import { canPrompt } from "../io.js";
import type { Progress } from "../progress.js";
import { readLine } from "../prompt.js";
import { redactOption, renderPlan } from "../render.js";
import { checkSafety, type Allowances } from "../safety.js";
import { statePath } from "../state-file.js";
import { noRemovals, withConfigPlan } from "./config-session.js";

/** `groupsync apply`, loaded only when the command runs (so that `--help` and `--version` start fast). */
export async function runApply(context: CommandContext): Promise<number> {
  const planPath = context.positionals[0];
  if (planPath === undefined && stringOption(context, "max-plan-age") !== undefined) {
    throw new UsageError("--max-plan-age applies to a saved plan: give PLANFILE.", "apply");
  }
  const flags: Allowances = {
    massRemoval: booleanOption(context, "allow-mass-removal") === true,
    delete: booleanOption(context, "allow-delete") === true,
  };
  return planPath === undefined ? applyFromConfig(context, flags) : applyFromFile(context, planPath, flags);
}

const DEFAULT_MAX_PLAN_AGE = "24h";

/** `--max-plan-age` in milliseconds (0: no limit) and as written. */
function maxPlanAge(context: CommandContext): { ms: number; text: string } {
  const raw = (stringOption(context, "max-plan-age") ?? DEFAULT_MAX_PLAN_AGE).trim();
  // `0` alone is no limit; any other age needs its unit (`5` could be minutes or days).
  const ms = raw === "0" ? 0 : parseDuration(raw);
  if (ms === undefined) {
    throw new UsageError(
      `--max-plan-age must be a duration such as 90m, 12h or 7d (or 0 for no limit), not "${raw}".`,
      "apply",
    );
  }
  return { ms, text: raw };
}

async function applyFromConfig(context: CommandContext, allow: Allowances): Promise<number> {
  const autoApprove = booleanOption(context, "auto-approve") === true;
  return withConfigPlan(context, "apply", async ({ location, connection, progress, plan }) => {
    show(context, plan, location.display);
    checkPlanErrors(plan, "text", location.display);
    if (plan.actions.length === 0) return 0;
    checkSafety(plan, allow);
    if (!autoApprove) await confirm(context);
    // A plan made a moment ago from verified reads needs no re-check; one that waited at the
    // prompt does (someone may have changed the account meanwhile).
    await run(context, connection, plan, progress, statePath(location.path), !autoApprove);
    return 0;
  });
}

async function applyFromFile(context: CommandContext, display: string, flags: Allowances): Promise<number> {
  const maxAge = maxPlanAge(context);
  const file = await readPlanFile(resolve(context.io.cwd, display), display);
  // Before connecting: a plan too old to apply makes no call to Square.
  checkPlanAge(file, display, maxAge, new Date());
  const connection = connect(context, "apply");
  const progress = connection.progress;
  try {
    if (file.endpoint !== connection.target.endpoint) {
      throw new CliError(
        "GS_CLI_PLAN_FILE_INVALID",
        `${display} was planned against ${file.endpoint}, not ${connection.target.endpoint}.`,
        { hint: "Check SQUARE_ENVIRONMENT / SQUARE_BASE_URL, or make a new plan for this account." },
      );
    }
    // A subset of the reviewed plan: it removes nothing the reviewer did not see.
    const plan = noRemovals(context) ? withoutRemovals(file.plan) : file.plan;
    show(context, plan, file.config);
    checkPlanErrors(plan, "text", file.config);
    if (plan.actions.length === 0) return 0;
    checkSafety(plan, {
      massRemoval: flags.massRemoval || file.allow.massRemoval,
      delete: flags.delete || file.allow.delete,
    });
    const statePathFor = statePath(resolve(context.io.cwd, file.config));
    try {
      await run(context, connection, plan, progress, statePathFor, true);
    } catch (error) {
      if (error instanceof SquareStalePlanError) throw staleError(display, error);
      throw error;
    }
    return 0;
  } finally {
    progress.done();
    reportCalls(context, connection);
    await connection.close();
  }
}

function show(context: CommandContext, plan: Plan, file: string): void {
  context.output.out(
    renderPlan(plan, { format: "text", style: context.style, redact: redactOption(context, "text"), file }),
  );
}

async function confirm(context: CommandContext): Promise<void> {
  if (!canPrompt(context.io)) {
    throw new CliError(
      "GS_CLI_APPROVAL_REQUIRED",
      "apply needs your approval, but there is no terminal to ask it on.",
      {
        hint:
          'Review the plan above and run again with --auto-approve, or save it with "groupsync plan --out plan.json" ' +
          'and run "groupsync apply plan.json".',
      },
    );
  }
  const { bold } = context.style;
  context.output.out(
    `\n${bold("Do you want to perform these actions?")}\n` +
      "  groupsync will perform the actions described above.\n" +
      "  Only 'yes' will be accepted to approve.\n\n" +
      `  ${bold("Enter a value:")} `,
  );
  const answer = await readLine(context.io.stdin, context.io.signal);
  context.output.out("\n");
  if (answer?.trim() !== "yes") {
    throw new CliError("GS_CLI_APPLY_CANCELLED", "Apply cancelled: nothing was changed.");
  }
}

async function run(
  context: CommandContext,
  connection: Connection,
  plan: Plan,
  progress: Progress,
  stateFile: string,
  checkPreconditions: boolean,
): Promise<void> {
  await executePlan(connection, plan, {
    checkPreconditions,
    output: context.output,
    progress,
    style: context.style,
    statePath: stateFile,
    now: () => new Date(),
    ...(context.io.signal === undefined ? {} : { signal: context.io.signal }),
  });
}

function reportCalls(context: CommandContext, connection: Connection): void {
  context.output.err(describeCalls(connection));
}

/** A saved plan whose preconditions no longer hold: each object that moved, and what to do. */
function staleError(display: string, error: SquareStalePlanError): CliError {
  const n = error.reasons.length;
  return new CliError(
    "GS_CLI_PLAN_STALE",
    `${display} is stale: the account changed since it was planned (${n === 1 ? "1 action" : `${n} actions`} affected). Nothing was applied.`,
    {
      cause: error,
      details: error.reasons.map((r) => `  - ${escapeText(r.message)}`).join("\n"),
      hint: 'Run "groupsync plan" again, review the new plan, and apply that.',
    },
  );
}
