// The GitHub side of the Action (action/comment.mjs), run as the action runs it, against a local
// server speaking GitHub's REST endpoints (issue 18). `github`, `dir` and `outputFile` are live
// bindings, set before each test by useActionHarness.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { FakeGitHub } from "./github-api.js";

export const SCRIPT = fileURLToPath(new URL("../../action/comment.mjs", import.meta.url));
export const CLI = fileURLToPath(new URL("../../apps/planner/dist/groupsync.mjs", import.meta.url));
export const ACTION_YML = fileURLToPath(new URL("../../action.yml", import.meta.url));
export const PR = 7;
export const SHA = "0123456789abcdef0123456789abcdef01234567";

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  file: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: { PATH: process.env["PATH"] ?? "", ...env }, cwd, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

export let github: FakeGitHub;
/** A fresh temporary folder per test. */
export let dir: string;
/** The GITHUB_OUTPUT file of the test. */
export let outputFile: string;

/** Runs action/comment.mjs against the test's fake GitHub. */
export function action(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return run(process.execPath, [SCRIPT, ...args], {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: github.repo,
    GITHUB_TOKEN: github.token,
    GITHUB_OUTPUT: outputFile,
    ...env,
  });
}

/** Writes plan-1.md ... plan-N.md to a fresh folder, as `groupsync plan --out-dir` would. */
export async function partsDir(parts: string[]): Promise<string> {
  const out = await mkdtemp(join(dir, "parts-"));
  for (const [i, part] of parts.entries()) await writeFile(join(out, `plan-${i + 1}.md`), part);
  return out;
}

export function planArgs(partsFolder: string, exitcode = 2, extra: string[] = []): string[] {
  return [
    "plan",
    "--id",
    "groups.yaml",
    "--issue",
    String(PR),
    "--dir",
    partsFolder,
    "--exitcode",
    String(exitcode),
    "--sha",
    SHA,
    "--run",
    "4242",
    ...extra,
  ];
}

export const bodies = (): string[] => github.list(PR).map((c) => c.body);

/** Registers the hooks: a fake GitHub, a temporary folder and an empty GITHUB_OUTPUT per test. */
export function useActionHarness(): void {
  beforeEach(async () => {
    github = await new FakeGitHub().start();
    dir = await mkdtemp(join(tmpdir(), "groupsync-action-"));
    outputFile = join(dir, "github-output");
    await writeFile(outputFile, "");
  });
  afterEach(async () => {
    await github.stop();
    await rm(dir, { recursive: true, force: true });
  });
}
