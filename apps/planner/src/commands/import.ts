import { FILE_OPTION, type Command } from "../command.js";
import { CONCURRENCY_OPTION, TIMEOUT_OPTION } from "../options.js";

export const importCommand: Command = {
  name: "import",
  summary: "Write a groups.yaml that describes the live account (bootstrap).",
  usage: "groupsync import [--file groups.yaml] [--force]",
  description:
    "Reads every customer group of the account and its members, and writes a groups.yaml that\n" +
    "`groupsync plan` then reports as `No changes.`. Each group is pinned by its Square ID;\n" +
    "each member is written as its email, else its phone, else its customer ID. An existing\n" +
    "file is not overwritten without --force.",
  options: {
    file: { ...FILE_OPTION, description: "Where to write (default: ./groups.yaml)." },
    force: { type: "boolean", description: "Overwrite the file if it exists." },
    concurrency: CONCURRENCY_OPTION,
    timeout: TIMEOUT_OPTION,
  },
  maxPositionals: 0,
  epilog: "Exit codes: 0 written, 1 an error (or the file exists without --force).",
  run: async (context) => (await import("./import-run.js")).runImport(context),
};
