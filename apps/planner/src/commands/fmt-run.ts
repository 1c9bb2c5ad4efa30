import { formatConfig } from "@groupsync/config";
import { booleanOption, stringOption, type CommandContext } from "../command.js";
import { CliError } from "../errors.js";
import { writeFileAtomic } from "../files.js";
import { configInvalid, locateConfig, readConfigText } from "../load-config.js";

/** `groupsync fmt`, loaded only when the command runs (so that `--help` and `--version` start fast). */
export async function runFmt(context: CommandContext): Promise<number> {
  const location = locateConfig(context.io.cwd, stringOption(context, "file"));
  const text = await readConfigText(location, { style: context.style });
  const result = formatConfig(text, { file: location.display });
  if (!result.ok) throw configInvalid(location, result.problems, text, { style: context.style });
  if (result.text === text) {
    context.output.err(`${location.display} is already formatted.\n`);
    return 0;
  }
  if (booleanOption(context, "check") === true) {
    throw new CliError("GS_CLI_NOT_FORMATTED", `${location.display} is not formatted.`, {
      hint: `Run "groupsync fmt${location.display === "groups.yaml" ? "" : ` --file ${location.display}`}".`,
    });
  }
  await writeFileAtomic(location.path, result.text);
  context.output.out(`${location.display} formatted.\n`);
  return 0;
}
