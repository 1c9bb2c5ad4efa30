import { FILE_OPTION, type Command } from "../command.js";
import {
  ALLOW_OPTIONS,
  CONCURRENCY_OPTION,
  NO_REMOVALS_OPTION,
  FORMAT_OPTION,
  REDACT_OPTION,
  TIMEOUT_OPTION,
} from "../options.js";

export const planCommand: Command = {
  name: "plan",
  summary: "Show what apply would change in the Square account.",
  usage:
    "groupsync plan [--file groups.yaml] [--out plan.json] [--detailed-exitcode] [--no-removals] [--format text|markdown|json] [--out-dir DIR]",
  description:
    "Reads groups.yaml and the live account (the fewest calls that can tell), and prints the\n" +
    "changes apply would make: groups created, renamed or deleted, members added or removed,\n" +
    "and how each rule resolved. Nothing is changed. With --out, the plan is saved for\n" +
    '"groupsync apply FILE", which applies exactly it or refuses it if the account moved.',
  options: {
    file: FILE_OPTION,
    out: {
      type: "string",
      valueName: "FILE",
      description: "Save the plan (JSON) for `groupsync apply FILE`.",
    },
    "out-dir": {
      type: "string",
      valueName: "DIR",
      description:
        "With --format markdown: write comment files DIR/plan-1.md, plan-2.md, ... instead of stdout.",
    },
    "detailed-exitcode": { type: "boolean", description: "Exit 2 when there are changes (0 none, 1 error)." },
    format: FORMAT_OPTION,
    redact: REDACT_OPTION,
    removals: NO_REMOVALS_OPTION,
    ...ALLOW_OPTIONS,
    concurrency: CONCURRENCY_OPTION,
    timeout: TIMEOUT_OPTION,
  },
  maxPositionals: 0,
  epilog:
    "Exit codes: 0 no changes (or changes, without --detailed-exitcode), 2 changes with\n" +
    "--detailed-exitcode, 1 an error or a plan refused by a safety guard.",
  run: async (context) => (await import("./plan-run.js")).runPlan(context),
};
