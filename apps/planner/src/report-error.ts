// The subpath: errors are reported on every start, before any command loads core.
import { escapeText } from "@groupsync/core/sanitize";
import { CliError } from "./errors.js";
import type { Output } from "./io.js";
import { describeSquareError } from "./square-errors.js";

const BUG_URL = "https://github.com/groupsync/groupsync/issues";

/**
 * The one place that turns an error into words and an exit code (STYLE.md: only the CLI's
 * entry maps errors). Known errors get one paragraph and a hint; anything else is a bug and
 * says so. Stack traces only with `--debug`. Everything passes through the token redactor, and
 * messages and hints (one line each; they may quote live names, paths, Square's words) through
 * the sanitizer; `details` are built escaped where they are made.
 */
export function reportError(error: unknown, output: Output, debug: boolean): number {
  if (error instanceof CliError) {
    if (error.details !== undefined) output.err(ensureNewline(error.details));
    output.err(`Error: ${escapeText(error.message)}\n`);
    if (error.hint !== undefined) output.err(`Hint: ${escapeText(error.hint)}\n`);
    if (debug) printStack(error, output);
    return error.exitCode;
  }
  const square = describeSquareError(error);
  if (square !== undefined) {
    output.err(`Error: ${escapeText(square.message)}\n`);
    if (square.hint !== undefined) output.err(`Hint: ${escapeText(square.hint)}\n`);
    if (debug) printStack(error, output);
    return 1;
  }
  const message = escapeText(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  output.err(`Error: groupsync stopped on an unexpected error. This is a bug in groupsync.\n  ${message}\n`);
  output.err(`Please report it at ${BUG_URL} with the output of the same command run with --debug.\n`);
  if (debug) printStack(error, output);
  return 1;
}

function printStack(error: unknown, output: Output): void {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const text = (current.stack ?? current.message).split("\n").map(escapeText).join("\n");
    output.err(`${depth === 0 ? "" : "Caused by: "}${text}\n`);
    current = current.cause;
  }
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
