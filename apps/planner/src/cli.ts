#!/usr/bin/env node
import { isEntryPoint } from "./entry-point.js";
import { run } from "./run.js";

/**
 * The `groupsync` binary: the only code that reads `process`. It runs the command line and
 * sets the exit code (without `process.exit`, so that stdout is flushed when piped).
 */
export async function main(): Promise<void> {
  // Ctrl-C: say what state the account may be in, then stop as Node would (130 = 128 + SIGINT).
  process.once("SIGINT", () => {
    process.stderr.write(
      "\nInterrupted. Changes already sent to Square stay applied; " +
        'run "groupsync plan" to see what is left.\n',
    );
    process.exit(130);
  });
  process.exitCode = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  });
}

if (isEntryPoint(import.meta.url)) await main();
