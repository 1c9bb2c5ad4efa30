// The subpath: help is printed at start-up, without the rest of core.
import { padToWidth, PLAIN_STYLE } from "@groupsync/core/text-style";
import type { Command, OptionDef } from "./command.js";
import { COMMON_OPTIONS } from "./command.js";

// Help is our own ASCII text: one column per character, no need for string-width's tables here.
const measure = PLAIN_STYLE;

/** `groupsync --help` */
export function renderMainHelp(commands: readonly Command[], version: string): string {
  return [
    `groupsync ${version}: keep the customer groups of a Square account in Git.`,
    "",
    "Usage: groupsync <command> [options]",
    "",
    "Commands:",
    ...columns(commands.map((c) => [c.name, c.summary])),
    "",
    "Options:",
    ...columns([
      ["-h, --help", "Show help (also: groupsync <command> --help)."],
      ["-v, --version", "Show the version."],
    ]),
    "",
    "Environment:",
    ...columns([
      ["SQUARE_ACCESS_TOKEN", "Square access token (required by plan, apply, import; never printed)."],
      ["SQUARE_ENVIRONMENT", "production (default) or sandbox."],
      ["SQUARE_BASE_URL", "Any other endpoint, e.g. http://127.0.0.1:4010 for `square-emulator serve`."],
      ["NO_COLOR", "Set to turn colors off."],
      ["FORCE_COLOR", "Set (not to 0 or false) to turn colors on off a terminal."],
    ]),
    "",
    "Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode).",
    "",
  ].join("\n");
}

/** Two aligned columns, indented by two, the second starting two columns after the widest first. */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([label]) => measure.width(label))) + 2;
  return rows.map(([label, text]) => `  ${padToWidth(label, width, measure)}${text}`);
}

/** `groupsync <command> --help` */
export function renderCommandHelp(command: Command): string {
  const options = { ...command.options, ...COMMON_OPTIONS };
  const rows = Object.entries(options).map(
    ([name, def]) => [optionLabel(name, def), def.description] as const,
  );
  return [
    `Usage: ${command.usage}`,
    "",
    command.description,
    "",
    "Options:",
    ...columns(rows),
    ...(command.epilog === undefined ? [] : ["", command.epilog]),
    "",
  ].join("\n");
}

function optionLabel(name: string, def: OptionDef): string {
  const short = def.short === undefined ? "    " : `-${def.short}, `;
  const value = def.valueName === undefined ? "" : ` ${def.valueName}`;
  const long =
    def.negativeOnly === true
      ? `--no-${name}`
      : def.negatable === true
        ? `--${name}, --no-${name}`
        : `--${name}${value}`;
  return `${short}${long}`;
}
