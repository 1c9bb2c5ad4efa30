import { FILE_OPTION, type Command } from "../command.js";

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
  run: async (context) => (await import("./fmt-run.js")).runFmt(context),
};
