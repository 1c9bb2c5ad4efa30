// The subpath, not the index: every command loads this module, and the index brings undici.
import { createRedactor } from "@groupsync/square/redact";

/**
 * What the CLI touches in the world, injected so that `run()` is testable in-process and
 * `main()` (cli.ts) alone reads `process`.
 */
export interface Io {
  /** Where results go (plans, JSON, formatted text). */
  readonly stdout: { write(chunk: string): unknown };
  /** Where progress, warnings, errors and the API-call report go. */
  readonly stderr: { write(chunk: string): unknown };
  /** Read for the `yes` prompt of `apply`. */
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (`--file`, `--out`, plan files) resolve against it. */
  readonly cwd: string;
  /**
   * Whether stdout is a terminal: colors (unless `--no-color` / NO_COLOR; FORCE_COLOR forces them). Also the default of
   * the two below. Default false.
   */
  readonly isTTY?: boolean;
  /** Whether stdin is a terminal: `apply` may ask for `yes`. Default `isTTY`. */
  readonly stdinIsTTY?: boolean;
  /** Whether stderr is a terminal: a progress bar redrawn in place. Default `isTTY`. */
  readonly stderrIsTTY?: boolean;
  /**
   * Aborted when the user interrupts (`main()` aborts it on SIGINT / SIGTERM, its reason the
   * signal's name): commands start nothing new, let what is in flight finish, report, and exit
   * 130 / 143.
   */
  readonly signal?: AbortSignal;
}

/** Whether `apply` can ask a person for `yes` (stdin is a terminal). */
export function canPrompt(io: Io): boolean {
  return (io.stdinIsTTY ?? io.isTTY) === true;
}

/** Whether progress may redraw a bar in place (stderr is a terminal). */
export function progressIsInteractive(io: Io): boolean {
  return (io.stderrIsTTY ?? io.isTTY) === true;
}

/** A line-oriented writer whose every chunk passes through the redactor (the last line of defence). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly redact: (text: string) => string;
}

/** Wraps the io streams so that nothing is written without redaction of the access token. */
export function createOutput(io: Io): Output {
  const redact = createRedactor([io.env["SQUARE_ACCESS_TOKEN"]]);
  return {
    out: (text) => void io.stdout.write(redact(text)),
    err: (text) => void io.stderr.write(redact(text)),
    redact,
  };
}
