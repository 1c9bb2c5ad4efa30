import { resolve } from "node:path";
import {
  MAX_CONFIG_BYTES,
  formatProblems,
  parseConfig,
  readConfigBytes,
  type ConfigProblem,
} from "@groupsync/config";
import type { DesiredState, TextStyle } from "@groupsync/core";
import { CliError } from "./errors.js";
import { readFileBytes } from "./files.js";

/** groups.yaml as the user named it, and where it is. */
export interface ConfigLocation {
  /** As given (`--file`) or `groups.yaml`: used in messages. */
  readonly display: string;
  /** Absolute. */
  readonly path: string;
}

export function locateConfig(cwd: string, file: string | undefined): ConfigLocation {
  const display = file ?? "groups.yaml";
  return { display, path: resolve(cwd, display) };
}

/**
 * Reads groups.yaml: the size is checked before the content is read (MAX_CONFIG_BYTES), then
 * the bytes are decoded as strict UTF-8 by @groupsync/config, which gives the line and column
 * of a bad byte.
 */
export async function readConfigText(
  location: ConfigLocation,
  options: { style?: TextStyle } = {},
): Promise<string> {
  const bytes = await readFileBytes(location.path, {
    maxBytes: MAX_CONFIG_BYTES,
    what: "config file",
    display: location.display,
  });
  const decoded = readConfigBytes(bytes, location.display);
  if (!decoded.ok) throw configInvalid(location, decoded.problems, "", options);
  return decoded.text;
}

export interface LoadedConfig {
  readonly location: ConfigLocation;
  readonly text: string;
  readonly desired: DesiredState;
  /** Problems that do not stop the plan, formatted with their excerpts (empty when none). */
  readonly warnings: string;
  readonly warningCount: number;
}

/**
 * Reads and validates groups.yaml. Every problem is reported at once with `file:line:col`
 * and an excerpt; the error's message only counts them.
 */
export async function loadConfig(
  location: ConfigLocation,
  options: { style?: TextStyle } = {},
): Promise<LoadedConfig> {
  const text = await readConfigText(location, options);
  const result = parseConfig(text, { file: location.display });
  if (!result.ok) throw configInvalid(location, result.problems, text, options);
  return {
    location,
    text,
    desired: result.desired,
    warnings:
      result.warnings.length === 0 ? "" : ensureNewline(formatWarnings(result.warnings, text, options)),
    warningCount: result.warnings.length,
  };
}

function formatWarnings(
  warnings: readonly ConfigProblem[],
  text: string,
  options: { style?: TextStyle },
): string {
  return formatProblems(
    warnings.map((w) => ({ ...w, message: `warning: ${w.message}` })),
    text,
    options,
  );
}

/** The error for a file with problems: details are the formatted problems. */
export function configInvalid(
  location: ConfigLocation,
  problems: readonly ConfigProblem[],
  text: string,
  options: { style?: TextStyle } = {},
): CliError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new CliError("GS_CLI_CONFIG_INVALID", `${location.display} is not valid (${count}).`, {
    details: formatProblems(problems, text, options),
  });
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
