import type { Command, OptionDef } from "./command.js";
import { COMMON_OPTIONS } from "./command.js";

/** `groupsync --help` */
export function renderMainHelp(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `groupsync ${version}: keep the customer groups of a Square account in Git.`,
    "",
    "Usage: groupsync <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Options:",
    "  -h, --help     Show help (also: groupsync <command> --help).",
    "  -v, --version  Show the version.",
    "",
    "Environment:",
    "  SQUARE_ACCESS_TOKEN  Square access token (required by plan, apply, import; never printed).",
    "  SQUARE_ENVIRONMENT   production (default) or sandbox.",
    "  SQUARE_BASE_URL      Any other endpoint, e.g. http://127.0.0.1:4010 for `square-emulator serve`.",
    "  NO_COLOR             Set to turn colors off.",
    "",
    "Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode).",
    "",
  ].join("\n");
}

/** `groupsync <command> --help` */
export function renderCommandHelp(command: Command): string {
  const options = { ...command.options, ...COMMON_OPTIONS };
  const rows = Object.entries(options).map(
    ([name, def]) => [optionLabel(name, def), def.description] as const,
  );
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return [
    `Usage: ${command.usage}`,
    "",
    command.description,
    "",
    "Options:",
    ...rows.map(([label, description]) => `  ${label.padEnd(width)}${description}`),
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
