import { stringOption, type CommandContext } from "../command.js";
import { loadConfig, locateConfig } from "../load-config.js";

/** `groupsync validate`, loaded only when the command runs (so that `--help` and `--version` start fast). */
export async function runValidate(context: CommandContext): Promise<number> {
  const config = await loadConfig(locateConfig(context.io.cwd, stringOption(context, "file")), {
    style: context.style,
  });
  if (config.warningCount > 0) context.output.err(config.warnings);
  const groups = config.desired.groups.length;
  const rules = config.desired.groups.reduce((n, g) => n + g.rules.length, 0);
  context.output.out(
    `${config.location.display} is valid: ${plural(groups, "group")}, ${plural(rules, "member rule")}.\n`,
  );
  return 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
