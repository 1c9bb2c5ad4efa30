/** Stable codes of the errors the CLI raises itself (public API: scripts may match on them). */
export type CliErrorCode =
  | "GS_CLI_USAGE"
  | "GS_CLI_FILE_NOT_FOUND"
  | "GS_CLI_FILE_UNREADABLE"
  | "GS_CLI_FILE_TOO_LARGE"
  | "GS_CLI_FILE_ENCODING"
  | "GS_CLI_FILE_EXISTS"
  | "GS_CLI_FILE_UNWRITABLE"
  | "GS_CLI_CONFIG_INVALID"
  | "GS_CLI_CREDENTIALS_MISSING"
  | "GS_CLI_CREDENTIALS_INVALID"
  | "GS_CLI_PLAN_INVALID"
  | "GS_CLI_PLAN_REFUSED"
  | "GS_CLI_PLAN_FILE_INVALID"
  | "GS_CLI_PLAN_STALE"
  | "GS_CLI_PLAN_TOO_OLD"
  | "GS_CLI_APPROVAL_REQUIRED"
  | "GS_CLI_APPLY_CANCELLED"
  | "GS_CLI_APPLY_FAILED"
  | "GS_CLI_NOT_FORMATTED"
  /** SIGINT or SIGTERM stopped the command (exit 130 / 143). */
  | "GS_CLI_INTERRUPTED";

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
    super("GS_CLI_USAGE", message, {
      hint: `Run "groupsync ${command === undefined ? "" : `${command} `}--help" for usage.`,
    });
  }
}
