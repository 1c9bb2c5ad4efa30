import { withoutRemovals, type Plan } from "@groupsync/core";
import { booleanOption, stringOption, type CommandContext } from "../command.js";
import { connect, describeCalls, type Connection } from "../connect.js";
import { loadConfig, locateConfig, type ConfigLocation } from "../load-config.js";
import { makePlan } from "../make-plan.js";
import type { Progress } from "../progress.js";
import { statePath } from "../state-file.js";

/** What `plan` and `apply` (from groups.yaml) work with once the account is read. */
export interface ConfigSession {
  readonly location: ConfigLocation;
  readonly connection: Connection;
  readonly progress: Progress;
  readonly plan: Plan;
}

/**
 * Reads groups.yaml (its warnings to stderr), connects, reads the account and plans; then runs
 * `use`. Whatever happens, the progress is closed, the calls made are reported and the
 * connection is closed.
 */
export async function withConfigPlan<T>(
  context: CommandContext,
  command: "plan" | "apply",
  use: (session: ConfigSession) => Promise<T>,
): Promise<T> {
  const location = locateConfig(context.io.cwd, stringOption(context, "file"));
  const config = await loadConfig(location, { style: context.style });
  if (config.warningCount > 0) context.output.err(config.warnings);
  const connection = connect(context, command);
  const progress = connection.progress;
  try {
    const full = await makePlan(connection, config.desired, {
      progress,
      statePath: statePath(location.path),
      now: new Date(),
    });
    const plan = noRemovals(context) ? withoutRemovals(full) : full;
    return await use({ location, connection, progress, plan });
  } finally {
    progress.done();
    context.output.err(describeCalls(connection));
    await connection.close();
  }
}

/** `--no-removals` (parseArgs reads it as `removals: false`). */
export function noRemovals(context: CommandContext): boolean {
  return booleanOption(context, "removals") === false;
}
