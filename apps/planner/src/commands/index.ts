import type { Command } from "../command.js";
import { applyCommand } from "./apply.js";
import { fmtCommand } from "./fmt.js";
import { importCommand } from "./import.js";
import { membersCommand } from "./members.js";
import { planCommand } from "./plan.js";
import { validateCommand } from "./validate.js";

/** Every command, in the order `groupsync --help` lists them. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  importCommand,
  fmtCommand,
  membersCommand,
];
