import { CliError } from "./errors.js";

/** The signals that stop a command gracefully (`main()` turns them into an aborted `io.signal`). */
export type InterruptSignal = "SIGINT" | "SIGTERM";

/** 128 + the signal's number, as a shell reports a process the signal ended: 130, 143. */
export function interruptExitCode(signal: InterruptSignal): number {
  return signal === "SIGINT" ? 130 : 143;
}

/** The signal an aborted `io.signal` stands for (its reason; SIGINT when it names none). */
export function interruptOf(signal: AbortSignal): InterruptSignal {
  return signal.reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
}

/** The error a command ends with when interrupted; `what` says what was (not) done. */
export function interruptedError(
  signal: AbortSignal,
  what: string,
  options: { hint?: string; cause?: unknown } = {},
): CliError {
  const name = interruptOf(signal);
  return new CliError("GS_CLI_INTERRUPTED", `Interrupted (${name}): ${what}`, {
    exitCode: interruptExitCode(name),
    ...options,
  });
}
