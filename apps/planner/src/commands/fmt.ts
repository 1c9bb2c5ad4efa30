import { formatConfig } from "@groupsync/config";
import { FILE_OPTION, booleanOption, stringOption, type Command } from "../command.js";
import { CliError } from "../errors.js";
import { writeFileAtomic } from "../files.js";
import { configInvalid, locateConfig, readConfigText } from "../load-config.js";

export const fmtCommand: Command = {
  name: "fmt",
  summary: "Rewrite groups.yaml in canonical form, keeping comments.",
  usage: "groupsync fmt [--file groups.yaml] [--check]",
  description:
    "Rewrites groups.yaml in canonical order and quoting, keeping comments. The file is\n" +
    "replaced atomically (a temporary file renamed over it). With --check it changes nothing\n" +
    "and exits 1 when the file is not formatted (for CI).",
  options: {
    file: FILE_OPTION,
    check: { type: "boolean", description: "Change nothing; exit 1 if the file is not formatted." },
  },
  maxPositionals: 0,
  epilog: "Exit codes: 0 formatted (or already was), 1 not formatted with --check, or an error.",
  async run(context) {
    const location = locateConfig(context.io.cwd, stringOption(context, "file"));
    const text = await readConfigText(location, { color: context.color });
    const result = formatConfig(text, { file: location.display });
    if (!result.ok) throw configInvalid(location, result.problems, text, { color: context.color });
    if (result.text === text) {
      context.output.err(`${location.display} is already formatted.\n`);
      return 0;
    }
    if (booleanOption(context, "check") === true) {
      throw new CliError("NOT_FORMATTED", `${location.display} is not formatted.`, {
        hint: `Run "groupsync fmt${location.display === "groups.yaml" ? "" : ` --file ${location.display}`}".`,
      });
    }
    await writeFileAtomic(location.path, result.text);
    context.output.out(`${location.display} formatted.\n`);
    return 0;
  },
};
