import { join, resolve } from "node:path";
import { MARKDOWN_MAX_LENGTH, renderMarkdownParts } from "@groupsync/core";
import { booleanOption, stringOption, type CommandContext } from "../command.js";
import { prepareOutDir, writeCommentFiles } from "../comment-files.js";
import { UsageError } from "../errors.js";
import { checkPlanErrors } from "../make-plan.js";
import { createPlanFile, writePlanFile } from "../plan-file.js";
import { formatOption, redactOption, renderPlan, SAFETY_OVERRIDES } from "../render.js";
import { checkSafety } from "../safety.js";
import { version } from "../version.js";
import { withConfigPlan } from "./config-session.js";

/** The longest comment file: GitHub's limit, less room for the marker line a bot puts above it. */
const COMMENT_PART_MAX = MARKDOWN_MAX_LENGTH - 1024;

/** `groupsync plan`, loaded only when the command runs (so that `--help` and `--version` start fast). */
export async function runPlan(context: CommandContext): Promise<number> {
  const format = formatOption(context, "plan");
  const redact = redactOption(context, format);
  const outDir = stringOption(context, "out-dir");
  if (outDir !== undefined) {
    if (format !== "markdown") {
      throw new UsageError("--out-dir writes pull-request comments: use it with --format markdown.", "plan");
    }
    await prepareOutDir(resolve(context.io.cwd, outDir), outDir);
  }
  return withConfigPlan(context, "plan", async ({ location, connection, plan }) => {
    const file = location.display;
    if (outDir === undefined)
      context.output.out(renderPlan(plan, { format, style: context.style, redact, file }));
    else {
      const parts = renderMarkdownParts(plan, {
        redact,
        maxLength: COMMENT_PART_MAX,
        file,
        style: context.style,
        overrides: SAFETY_OVERRIDES,
      });
      const names = await writeCommentFiles(
        resolve(context.io.cwd, outDir),
        outDir,
        parts,
        context.output.redact,
      );
      context.output.err(
        `Wrote the plan as ${parts.length === 1 ? "one comment" : `${parts.length} comments`}: ` +
          `${names.map((name) => join(outDir, name)).join(", ")}\n`,
      );
    }
    checkPlanErrors(plan, format, location.display);
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
