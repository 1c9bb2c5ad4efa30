import type { Command } from "../command.js";
import { fmtCommand } from "./fmt.js";
import { validateCommand } from "./validate.js";

/** Every command, in the order `groupsync --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, fmtCommand];
