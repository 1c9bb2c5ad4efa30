import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  MAX_CONFIG_BYTES,
  MAX_MEMBERS_FILE_BYTES,
  formatProblems,
  parseConfig,
  readConfigBytes,
  type ConfigProblem,
  type MembersFileRead,
  type ReadMembersFile,
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
  const result = parseConfig(text, {
    file: location.display,
    readMembersFile: createMembersFileReader(dirname(location.path)),
  });
  const formatting = { ...options, sources: result.sources };
  if (!result.ok) throw configInvalid(location, result.problems, text, formatting);
  return {
    location,
    text,
    desired: result.desired,
    warnings:
      result.warnings.length === 0 ? "" : ensureNewline(formatWarnings(result.warnings, text, formatting)),
    warningCount: result.warnings.length,
  };
}

/**
 * Reads members files (`members_file`, relative to groups.yaml's folder) for @groupsync/config:
 * synchronously, since config parses synchronously and nothing else runs meanwhile; the size is
 * checked before the content is read.
 */
export function createMembersFileReader(dir: string): ReadMembersFile {
  return (path) => {
    let fd: number;
    try {
      fd = openSync(resolve(dir, path), "r");
    } catch (error) {
      return readFailure(error);
    }
    try {
      const info = fstatSync(fd);
      if (info.isDirectory()) return { ok: false, reason: "directory" };
      if (info.size > MAX_MEMBERS_FILE_BYTES) return tooLarge(formatSize(info.size));
      // Read up to one byte more than allowed: a size that lies (a pipe, a growing file) is held to the limit.
      const buffer = Buffer.alloc(Math.min(info.size, MAX_MEMBERS_FILE_BYTES) + 1);
      let length = 0;
      for (;;) {
        if (length === buffer.length) return tooLarge("more than that");
        const read = readSync(fd, buffer, length, buffer.length - length, null);
        if (read === 0) break;
        length += read;
      }
      if (length > MAX_MEMBERS_FILE_BYTES) return tooLarge("more than that");
      return { ok: true, bytes: buffer.subarray(0, length) };
    } catch (error) {
      return readFailure(error);
    } finally {
      closeSync(fd);
    }
  };
}

function tooLarge(detail: string): MembersFileRead {
  return { ok: false, reason: "too_large", detail };
}

function readFailure(error: unknown): MembersFileRead {
  const code = String((error as { code?: unknown } | null)?.code ?? "unknown error");
  if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, reason: "not_found" };
  if (code === "EISDIR") return { ok: false, reason: "directory" };
  return { ok: false, reason: "unreadable", detail: code === "EACCES" ? "permission denied" : code };
}

function formatSize(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

interface FormattingOptions {
  readonly style?: TextStyle;
  /** The text of members files, by name. */
  readonly sources?: ReadonlyMap<string, string> | undefined;
}

function formatWarnings(
  warnings: readonly ConfigProblem[],
  text: string,
  options: FormattingOptions,
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
  options: FormattingOptions = {},
): CliError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const others = [...new Set(problems.map((p) => p.file))].filter((f) => f !== location.display);
  const where = others.length === 0 ? "" : `; in ${others.join(", ")}`;
  return new CliError("GS_CLI_CONFIG_INVALID", `${location.display} is not valid (${count}${where}).`, {
    details: formatProblems(problems, text, options),
  });
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
