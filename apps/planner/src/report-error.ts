import { CliError } from "./errors.js";
import type { Output } from "./io.js";
import { describeSquareError } from "./square-errors.js";

const BUG_URL = "https://github.com/groupsync/groupsync/issues";

/**
 * The one place that turns an error into words and an exit code (STYLE.md: only the CLI's
 * entry maps errors). Known errors get one paragraph and a hint; anything else is a bug and
 * says so. Stack traces only with `--debug`. Everything passes through the token redactor.
 */
export function reportError(error: unknown, output: Output, debug: boolean): number {
  if (error instanceof CliError) {
    if (error.details !== undefined) output.err(ensureNewline(error.details));
    output.err(`Error: ${error.message}\n`);
    if (error.hint !== undefined) output.err(`Hint: ${error.hint}\n`);
    if (debug) printStack(error, output);
    return error.exitCode;
  }
  const square = describeSquareError(error);
  if (square !== undefined) {
    output.err(`Error: ${square.message}\n`);
    if (square.hint !== undefined) output.err(`Hint: ${square.hint}\n`);
    if (debug) printStack(error, output);
    return 1;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  output.err(`Error: groupsync stopped on an unexpected error. This is a bug in groupsync.\n  ${message}\n`);
  output.err(`Please report it at ${BUG_URL} with the output of the same command run with --debug.\n`);
  if (debug) printStack(error, output);
  return 1;
}

function printStack(error: unknown, output: Output): void {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    output.err(`${depth === 0 ? "" : "Caused by: "}${current.stack ?? current.message}\n`);
    current = current.cause;
  }
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
