import { FILE_OPTION, type Command } from "../command.js";
import {
  ALLOW_OPTIONS,
  CONCURRENCY_OPTION,
  NO_REMOVALS_OPTION,
  REDACT_OPTION,
  TIMEOUT_OPTION,
} from "../options.js";

export const applyCommand: Command = {
  name: "apply",
  summary: "Make the changes: plan, confirm, apply; or apply a saved plan file.",
  usage:
    "groupsync apply [PLANFILE] [--max-plan-age 24h] [--auto-approve] [--no-removals] [--file groups.yaml]",
  description:
    "Without PLANFILE: makes a plan as `groupsync plan` does, shows it, asks for `yes` (on a\n" +
    "terminal; elsewhere --auto-approve is required), then applies it.\n" +
    "With PLANFILE (from `groupsync plan --out`): applies exactly that plan, without asking,\n" +
    "after checking that the live objects it touches still match what it was planned against;\n" +
    "if they do not, it is refused as stale and nothing is applied.\n" +
    "Progress goes to stderr, one line per action as it completes; failures name the action,\n" +
    "Square's error code and what to do. Actions that fail do not stop independent ones.",
  options: {
    file: FILE_OPTION,
    "auto-approve": { type: "boolean", description: "Apply without asking for `yes` (CI)." },
    "max-plan-age": {
      type: "string",
      valueName: "AGE",
      description: "With PLANFILE: refuse a plan older than this (90m, 12h, 7d; default 24h; 0: no limit).",
    },
    redact: REDACT_OPTION,
    removals: NO_REMOVALS_OPTION,
    ...ALLOW_OPTIONS,
    concurrency: CONCURRENCY_OPTION,
    timeout: TIMEOUT_OPTION,
  },
  maxPositionals: 1,
  epilog:
    "Exit codes: 0 applied (or nothing to do), 1 an error, a refusal, a stale plan or any failed action.",
  run: async (context) => (await import("./apply-run.js")).runApply(context),
};
