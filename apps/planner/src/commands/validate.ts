import { FILE_OPTION, type Command } from "../command.js";

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
  run: async (context) => (await import("./validate-run.js")).runValidate(context),
};
