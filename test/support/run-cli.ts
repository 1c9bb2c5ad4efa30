import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI, as the bin runs it. */
export const CLI = fileURLToPath(new URL("../../apps/planner/dist/groupsync.mjs", import.meta.url));
/** The built emulator's command line. */
export const EMULATOR_CLI = fileURLToPath(new URL("../../apps/square-emulator/dist/bin.js", import.meta.url));

export interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <script> ...args` in `cwd` with only `env` (plus PATH); stdin is closed at once. */
export function runNode(
  script: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env["PATH"] ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

/** `groupsync ...args`. */
export function groupsync(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<Outcome> {
  return runNode(CLI, args, options);
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "groupsync-repo-test-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
