import { FILE_OPTION, stringOption, type Command } from "../command.js";
import { loadConfig, locateConfig } from "../load-config.js";

export const validateCommand: Command = {
  name: "validate",
  summary: "Check groups.yaml (syntax, schema, emails, phones, duplicates). No network.",
  usage: "groupsync validate [--file groups.yaml]",
  description:
    "Reads groups.yaml and reports every problem with file:line:col and the offending line.\n" +
    "It does not contact Square and needs no token.",
  options: { file: FILE_OPTION },
  maxPositionals: 0,
  epilog: "Exit codes: 0 the file is valid, 1 it is not (or cannot be read).",
  async run(context) {
    const config = await loadConfig(locateConfig(context.io.cwd, stringOption(context, "file")), {
      color: context.color,
    });
    if (config.warningCount > 0) context.output.err(config.warnings);
    const groups = config.desired.groups.length;
    const rules = config.desired.groups.reduce((n, g) => n + g.rules.length, 0);
    context.output.out(
      `${config.location.display} is valid: ${plural(groups, "group")}, ${plural(rules, "member rule")}.\n`,
    );
    return 0;
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
