import { resolve } from "node:path";
import { booleanOption, stringOption, type CommandContext } from "../command.js";
import { checkPlanErrors } from "../make-plan.js";
import { createPlanFile, writePlanFile } from "../plan-file.js";
import { formatOption, redactOption, renderPlan } from "../render.js";
import { checkSafety } from "../safety.js";
import { version } from "../version.js";
import { withConfigPlan } from "./config-session.js";

/** `groupsync plan`, loaded only when the command runs (so that `--help` and `--version` start fast). */
export async function runPlan(context: CommandContext): Promise<number> {
  const format = formatOption(context, "plan");
  const redact = redactOption(context, format);
  return withConfigPlan(context, "plan", async ({ location, connection, plan }) => {
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
        createdAt: new Date().toISOString(),
        endpoint: connection.target.endpoint,
        config: location.display,
        allow,
        plan,
      });
      await writePlanFile(resolve(context.io.cwd, out), out, file, context.output.redact);
      context.output.err(`Saved the plan to ${out}. Apply exactly this plan with: groupsync apply ${out}\n`);
    }
    const changes = plan.actions.length > 0;
    return changes && booleanOption(context, "detailed-exitcode") === true ? 2 : 0;
  });
}
