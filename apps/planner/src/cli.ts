#!/usr/bin/env node
import { isEntryPoint } from "./entry-point.js";
import { interruptExitCode, type InterruptSignal } from "./interrupt.js";
import { run } from "./run.js";

/** After the first signal, the longest a graceful stop may take before the process exits anyway. */
const FORCE_EXIT_MS = 10_000;

/**
 * The `groupsync` binary: the only code that reads `process`. It runs the command line and
 * sets the exit code (without `process.exit`, so that stdout is flushed when piped).
 *
 * SIGINT (Ctrl-C) and SIGTERM (CI cancellation, `docker stop`) abort the command's signal: it
 * starts nothing new, lets the requests in flight finish (a few seconds at most), prints what
 * was and was not done, saves its state and exits 130 / 143. A second signal exits at once.
 */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const onSignal = (name: InterruptSignal) => {
    if (controller.signal.aborted) {
      process.stderr.write(
        `\n${name} again: stopping now. Requests already sent may or may not have been applied; ` +
          'run "groupsync plan" to see what is left.\n',
      );
      process.exit(interruptExitCode(name));
    }
    controller.abort(name);
    setTimeout(() => process.exit(interruptExitCode(name)), FORCE_EXIT_MS).unref();
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.exitCode = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    signal: controller.signal,
  });
}

if (isEntryPoint(import.meta.url)) await main();
