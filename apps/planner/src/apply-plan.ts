import { escapeText, type Action, type Plan, type TextStyle } from "@groupsync/core";
import { applyPlan, type ActionError, type ActionResult, type ApplyProgressEvent } from "@groupsync/square";
import type { Connection } from "./connect.js";
import { CliError } from "./errors.js";
import { interruptedError } from "./interrupt.js";
import type { Output } from "./io.js";
import type { Progress } from "./progress.js";
import { squareHint } from "./square-errors.js";
import { rememberCreatedCustomers } from "./state-file.js";

const VERBS: Record<Action["type"], string> = {
  create_group: "created",
  rename_group: "renamed",
  create_customer: "profile created",
  add_member: "added",
  remove_member: "removed",
  delete_group: "deleted",
};

/**
 * act: applies the plan through @groupsync/square, reporting each action on stderr as it
 * completes, then a summary on stdout, with each failure's action, Square's error code and
 * what to do. Created profile IDs go to the state file so that the next plan finds them
 * although search lags. Throws GS_CLI_APPLY_FAILED when any action was not done.
 */
export async function executePlan(
  connection: Connection,
  plan: Plan,
  options: {
    /** Re-check the plan's preconditions first (a saved plan, or one that waited at the prompt). */
    checkPreconditions: boolean;
    output: Output;
    progress: Progress;
    style: TextStyle;
    statePath: string;
    now: () => Date;
    /** Aborted on SIGINT / SIGTERM: nothing new starts, and the summary says what was not done. */
    signal?: AbortSignal;
  },
): Promise<void> {
  const { output, progress, style } = options;
  const byAddress = new Map(plan.actions.map((a) => [a.address, a]));
  const total = plan.actions.length;
  const onProgress = (event: ApplyProgressEvent) => {
    if (event.phase === "apply") {
      progress.line(describeOutcome(event.address, event.status, byAddress.get(event.address), style));
      progress.update("actions", event.done, event.total);
    } else {
      progress.update("verifying", event.done, event.total);
    }
  };
  progress.quietLine(`Applying ${total === 1 ? "1 action" : `${total} actions`}...`);
  const result = await applyPlan(connection.client, plan, {
    checkPreconditions: options.checkPreconditions,
    onProgress,
    ...(connection.concurrency === undefined ? {} : { concurrency: connection.concurrency }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  progress.done();
  await rememberCreatedCustomers(
    options.statePath,
    connection.target.endpoint,
    result.createdCustomerIds,
    options.now(),
    output.redact,
  );

  const failed = result.results.filter((r) => r.status === "failed");
  const skipped = result.results.filter((r) => r.status === "skipped");
  const done = result.results.length - failed.length - skipped.length;
  if (result.mismatches.length > 0) {
    output.err(
      `${style.yellow("Warning:")} read back after the apply, some profiles differ from the plan:\n`,
    );
    for (const m of result.mismatches) output.err(`  - ${escapeText(m.address)}: ${escapeText(m.message)}\n`);
    output.err('  Another change may have raced this one; "groupsync plan" shows what is left.\n');
  }
  if (failed.length === 0 && skipped.length === 0) {
    output.out(`\n${style.green(style.bold("Apply complete!"))} ${summary(plan, result.results)}\n`);
    return;
  }
  if (result.stopped && options.signal?.aborted === true) {
    // Not started because of the interruption: counted, not listed one by one.
    const notStarted = skipped.filter((r) => r.error?.code === "GS_SQUARE_ABORTED");
    const otherSkipped = skipped.filter((r) => r.error?.code !== "GS_SQUARE_ABORTED");
    output.out(
      `\n${style.yellow(style.bold("Apply interrupted:"))} ${done} done, ${failed.length} failed, ` +
        `${notStarted.length} not started, ${otherSkipped.length} skipped (of ${total}).` +
        (done === 0 ? "\n" : ` Done: ${summary(plan, result.results)}\n`),
    );
    for (const r of failed)
      output.out(`  ${style.red("✗")} ${escapeText(r.address)}: ${describeError(r.error)}\n`);
    for (const r of otherSkipped)
      output.out(`  ${style.yellow("-")} ${escapeText(r.address)}: skipped: ${describeError(r.error)}\n`);
    throw interruptedError(options.signal, `${total - done} of ${total} actions were not done.`, {
      hint:
        'Run "groupsync apply" again to finish: actions already done are not repeated, ' +
        'and "groupsync plan" shows exactly what is left.',
    });
  }
  output.out(
    `\n${style.red(style.bold("Apply incomplete:"))} ${done} done, ${failed.length} failed, ` +
      `${skipped.length} skipped (of ${total}).\n`,
  );
  for (const r of failed)
    output.out(`  ${style.red("✗")} ${escapeText(r.address)}: ${describeError(r.error)}\n`);
  for (const r of skipped)
    output.out(`  ${style.yellow("-")} ${escapeText(r.address)}: skipped: ${describeError(r.error)}\n`);
  throw new CliError(
    "GS_CLI_APPLY_FAILED",
    `${failed.length + skipped.length} of ${total} actions were not done.`,
    {
      hint:
        "Fix the cause named above and run apply again: actions already done are not repeated, " +
        'and "groupsync plan" shows exactly what is left.',
    },
  );
}

/** `2 groups created, 1 renamed, 9 members added, 2 removed.` from the actions done. */
function summary(plan: Plan, results: readonly ActionResult[]): string {
  const doneAddresses = new Set(results.filter((r) => r.status === "done").map((r) => r.address));
  const count = (type: Action["type"]) =>
    plan.actions.filter((a) => a.type === type && doneAddresses.has(a.address)).length;
  const parts = [
    [count("create_group"), "created"],
    [count("rename_group"), "renamed"],
    [count("create_customer"), "profiles created"],
    [count("add_member"), "added"],
    [count("remove_member"), "removed"],
    [count("delete_group"), "deleted"],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return `${shown.length === 0 ? "nothing to do" : shown.join(", ")}.`;
}

/** `  ✓ member.vip["ada@example.com"]: added` (an address holds rule labels and IDs: escaped). */
export function describeOutcome(
  rawAddress: string,
  status: ActionResult["status"],
  action: Action | undefined,
  style: TextStyle,
): string {
  const address = escapeText(rawAddress);
  if (status === "done")
    return `  ${style.green("✓")} ${address}: ${action === undefined ? "done" : VERBS[action.type]}`;
  if (status === "skipped") return `  ${style.yellow("-")} ${address}: skipped`;
  return `  ${style.red("✗")} ${address}: ${style.red("failed")}`;
}

/** Square's error code, the message and what to do, in one line (Square's words escaped). */
function describeError(error: ActionError | undefined): string {
  if (error === undefined) return "no reason given";
  const code = error.squareCode ?? error.code;
  const hint = squareHint(error.code, error.hint) ?? defaultHint(error);
  return escapeText(`${code}: ${error.message}${hint === undefined ? "" : `. ${hint}`}`);
}

function defaultHint(error: ActionError): string | undefined {
  if (error.squareCode === "INSUFFICIENT_SCOPES" || error.code === "GS_SQUARE_FORBIDDEN") {
    return "The token needs the CUSTOMERS_WRITE scope to apply.";
  }
  if (error.code === "GS_SQUARE_NOT_FOUND") return "The object was deleted meanwhile: run plan again.";
  if (error.code === "GS_SQUARE_RATE_LIMITED") return "Lower --concurrency, wait a minute, and apply again.";
  return undefined;
}
