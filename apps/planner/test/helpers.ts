import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";

/** The built CLI: the tests run what users run. */
export const CLI = fileURLToPath(new URL("../dist/groupsync.mjs", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Spawns `node dist/groupsync.mjs ...args` (the bundle the bin runs) with only the given environment (plus PATH), stdin from
 * `input` (closed at once when absent), and resolves when it exits.
 */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
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
    child.stdin.end(options.input ?? "");
  });
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "groupsync-test-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs the CLI under a pseudo-terminal (util-linux `script`), so that it sees a TTY on stdin
 * and stdout as a person's shell gives it; `input` is typed into the terminal.
 */
export function runCliInTerminal(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; input: string },
): Promise<CliResult> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", quoted, "/dev/null"], {
      cwd: options.cwd,
      env: { PATH: process.env["PATH"] ?? "", TERM: "dumb", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input);
  });
}

/** A Square account and a working directory for the CLI against it. */
export interface Account {
  readonly emulator: Emulator;
  /** The token and base URL of the emulator, for `runCli`. */
  readonly env: Record<string, string>;
  /** A fresh temporary directory holding groups.yaml. */
  readonly dir: string;
  /** Stops the emulator and removes the directory. */
  stop(): Promise<void>;
}

/** Starts the emulator on `seed` and writes `groupsYaml` (lines) into a fresh directory. */
export async function startAccount(seed: SeedData, groupsYaml: readonly string[]): Promise<Account> {
  const emulator = await startEmulator({ seed });
  const { dir, remove } = await tempDir();
  await writeFile(join(dir, "groups.yaml"), [...groupsYaml, ""].join("\n"));
  return {
    emulator,
    env: { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url },
    dir,
    stop: async () => {
      await emulator.stop();
      await remove();
    },
  };
}
