import { resolve } from "node:path";
import { FILE_OPTION, booleanOption, stringOption, type Command } from "../command.js";
import { CONCURRENCY_OPTION, connect, formatCalls } from "../connect.js";
import { loadConfig, locateConfig } from "../load-config.js";
import { checkPlanErrors, makePlan } from "../make-plan.js";
import { createPlanFile, writePlanFile } from "../plan-file.js";
import { createProgress } from "../progress.js";
import { FORMAT_OPTION, REDACT_OPTION, formatOption, redactOption, renderPlan } from "../render.js";
import { checkSafety } from "../safety.js";
import { statePath } from "../state-file.js";
import { version } from "../version.js";

export const ALLOW_OPTIONS = {
  "allow-mass-removal": {
    type: "boolean",
    description: "Accept removing more than 25% and more than 10 of a group's members.",
  },
  "allow-delete": { type: "boolean", description: "Accept deleting groups (unmanaged_groups: delete)." },
} as const;

export const planCommand: Command = {
  name: "plan",
  summary: "Show what apply would change in the Square account.",
  usage:
    "groupsync plan [--file groups.yaml] [--out plan.json] [--detailed-exitcode] [--format text|markdown|json]",
  description:
    "Reads groups.yaml and the live account (the fewest calls that can tell), and prints the\n" +
    "changes apply would make: groups created, renamed or deleted, members added or removed,\n" +
    "and how each rule resolved. Nothing is changed. With --out, the plan is saved for\n" +
    '"groupsync apply FILE", which applies exactly it or refuses it if the account moved.',
  options: {
    file: FILE_OPTION,
    out: {
      type: "string",
      valueName: "FILE",
      description: "Save the plan (JSON) for `groupsync apply FILE`.",
    },
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when there are changes (0 none, 1 error)." },
    format: FORMAT_OPTION,
    redact: REDACT_OPTION,
    ...ALLOW_OPTIONS,
    concurrency: CONCURRENCY_OPTION,
  },
  maxPositionals: 0,
  epilog:
    "Exit codes: 0 no changes (or changes, without --detailed-exitcode), 2 changes with\n" +
    "--detailed-exitcode, 1 an error or a plan refused by a safety guard.",
  async run(context) {
    const format = formatOption(context, "plan");
    const redact = redactOption(context, format);
    const location = locateConfig(context.io.cwd, stringOption(context, "file"));
    const config = await loadConfig(location, { color: context.color });
    if (config.warningCount > 0) context.output.err(config.warnings);
    const connection = connect(context, "plan");
    const progress = createProgress(context.output, { tty: context.io.isTTY === true });
    try {
      const plan = await makePlan(connection, config.desired, {
        progress,
        statePath: statePath(location.path),
        now: new Date(),
      });
      context.output.out(renderPlan(plan, { format, color: context.color, redact }));
      checkPlanErrors(plan, format);
      const allow = {
        massRemoval: booleanOption(context, "allow-mass-removal") === true,
        delete: booleanOption(context, "allow-delete") === true,
      };
      checkSafety(plan, allow);
      const out = stringOption(context, "out");
      if (out !== undefined) {
        const file = createPlanFile({
          createdBy: version(),
          endpoint: connection.target.endpoint,
          config: location.display,
          allow,
          plan,
        });
        await writePlanFile(resolve(context.io.cwd, out), out, file);
        context.output.err(
          `Saved the plan to ${out}. Apply exactly this plan with: groupsync apply ${out}\n`,
        );
      }
      const changes = plan.actions.length > 0;
      return changes && booleanOption(context, "detailed-exitcode") === true ? 2 : 0;
    } finally {
      progress.done();
      context.output.err(
        `${formatCalls(connection.client.stats(), performance.now() - connection.startedAt)}\n`,
      );
      await connection.client.close();
    }
  },
};
