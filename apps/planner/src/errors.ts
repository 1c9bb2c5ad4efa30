/** Stable codes of the errors the CLI raises itself (public API: scripts may match on them). */
export type CliErrorCode =
  | "USAGE"
  | "FILE_NOT_FOUND"
  | "FILE_UNREADABLE"
  | "FILE_TOO_LARGE"
  | "FILE_ENCODING"
  | "FILE_EXISTS"
  | "FILE_UNWRITABLE"
  | "CONFIG_INVALID"
  | "CREDENTIALS_MISSING"
  | "CREDENTIALS_INVALID"
  | "PLAN_INVALID"
  | "PLAN_REFUSED"
  | "PLAN_FILE_INVALID"
  | "PLAN_STALE"
  | "PLAN_TOO_OLD"
  | "APPROVAL_REQUIRED"
  | "APPLY_CANCELLED"
  | "APPLY_FAILED"
  | "NOT_FORMATTED"
  /** SIGINT or SIGTERM stopped the command (exit 130 / 143). */
  | "INTERRUPTED";

/**
 * An error the user can act on: the CLI entry prints `message` (one paragraph) and `hint`,
 * never a stack trace, and exits with `exitCode` (1, or 130 / 143 when interrupted).
 */
export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly code: CliErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;
  /** Printed before the message, verbatim (e.g. config problems with their source excerpts). */
  readonly details: string | undefined;

  constructor(
    code: CliErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; details?: string; exitCode?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** Bad command line: unknown option, missing value, wrong number of arguments. */
export class UsageError extends CliError {
  override readonly name = "UsageError";
  constructor(message: string, command?: string) {
    super("USAGE", message, {
      hint: `Run "groupsync ${command === undefined ? "" : `${command} `}--help" for usage.`,
    });
  }
}
