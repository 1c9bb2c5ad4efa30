import type { TextStyle } from "@groupsync/core/text-style";
import type { Io, Output } from "./io.js";

/** One option of a command, as node:util parseArgs takes it plus what `--help` shows. */
export interface OptionDef {
  readonly type: "boolean" | "string";
  readonly short?: string;
  readonly description: string;
  /** Shown after the option in `--help` (`--file PATH`). */
  readonly valueName?: string;
  /** Boolean options also accept `--no-NAME`; shown in `--help` when true. */
  readonly negatable?: boolean;
  /** A boolean option that exists only as `--no-NAME` (`--no-removals`): `--NAME` is unknown. */
  readonly negativeOnly?: boolean;
  /** String options that may be given several times (`--not a --not b`); read with `stringListOption`. */
  readonly multiple?: boolean;
}

/** What every command receives. */
export interface CommandContext {
  readonly io: Io;
  readonly output: Output;
  readonly values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
  /**
   * Colours and display widths for everything the command prints, the same object handed to
   * every renderer (colours: `colorEnabled` in text-style.ts).
   */
  readonly style: TextStyle;
  readonly debug: boolean;
}

/** A subcommand of `groupsync`. */
export interface Command {
  readonly name: string;
  /** One line for `groupsync --help`. */
  readonly summary: string;
  /** `groupsync plan [options]` */
  readonly usage: string;
  /** A paragraph for `groupsync <name> --help`. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionDef>>;
  /** How many positional arguments it takes at most. */
  readonly maxPositionals: number;
  /** Lines after the options in `--help` (exit codes, examples). */
  readonly epilog?: string;
  run(context: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionDef>> = {
  help: { type: "boolean", short: "h", description: "Show this help." },
  color: {
    type: "boolean",
    negatable: true,
    description: "Color output on a terminal (also off with NO_COLOR, on with FORCE_COLOR).",
  },
  debug: { type: "boolean", description: "Print stack traces and request logs on errors (never the token)." },
};

export const FILE_OPTION: OptionDef = {
  type: "string",
  short: "f",
  valueName: "PATH",
  description: "The groups.yaml file (default: ./groups.yaml).",
};

/** Reads a string option, or its default. */
export function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === "string" ? value : undefined;
}

/** Reads a repeatable string option: every value given, in order (empty when none). */
export function stringListOption(context: CommandContext, name: string): string[] {
  const value = context.values[name];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? [...(value as readonly string[])] : [];
}

/** Reads a boolean option (`undefined` when not given, so that defaults can depend on other options). */
export function booleanOption(context: CommandContext, name: string): boolean | undefined {
  const value = context.values[name];
  return typeof value === "boolean" ? value : undefined;
}
