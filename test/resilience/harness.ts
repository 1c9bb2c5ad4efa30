import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built CLI (`pnpm test:resilience` builds first). */
export const CLI = fileURLToPath(new URL("../../apps/planner/dist/groupsync.mjs", import.meta.url));

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Target {
  url: string;
  token: string;
}

/** An environment for the CLI: nothing from this process leaks in but PATH; no colours. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...extra };
}

/** The same, pointed at an emulator. */
export function cliEnv(target: Target, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({ SQUARE_ACCESS_TOKEN: target.token, SQUARE_BASE_URL: target.url, ...extra });
}

/** Starts `groupsync ARGS` as a child process; `done` settles when it exits. */
export function startGroupsync(
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): { child: ChildProcess; done: Promise<Outcome> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    ...(cwd === undefined ? {} : { cwd }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
  const done = new Promise<Outcome>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
  return { child, done };
}

/** Runs `groupsync ARGS` to its end. */
export function groupsync(
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<Outcome> {
  return startGroupsync(args, env, cwd).done;
}

interface SquareGroup {
  id: string;
  name: string;
}

interface SquareProfile {
  id: string;
  group_ids?: string[];
}

/**
 * Compares the account (the emulator's store: `emulator.store.snapshot()`, current whatever
 * search shows) with the memberships expected (group name -> profile IDs): returns a list of problems (empty when they agree): duplicate group names, a membership missing
 * (lost), unexpected (extra), or listed twice on one profile (doubled).
 */
export function membershipProblems(
  account: { groups: SquareGroup[]; customers: SquareProfile[] },
  expected: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const problems: string[] = [];
  const byName = new Map<string, SquareGroup[]>();
  for (const g of account.groups) {
    const key = g.name.trim().toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), g]);
  }
  for (const [name, list] of byName)
    if (list.length > 1) problems.push(`group "${name}" exists ${list.length} times`);

  const actual = new Map<string, Set<string>>();
  for (const p of account.customers) {
    const ids = p.group_ids ?? [];
    if (new Set(ids).size !== ids.length)
      problems.push(`profile ${p.id} lists a group twice: ${ids.join(",")}`);
    for (const g of ids) actual.set(g, (actual.get(g) ?? new Set()).add(p.id));
  }
  for (const [name, want] of expected) {
    const group = byName.get(name.trim().toLowerCase())?.[0];
    if (group === undefined) {
      problems.push(`group "${name}" is missing`);
      continue;
    }
    const have = actual.get(group.id) ?? new Set<string>();
    const lost = [...want].filter((id) => !have.has(id));
    const extra = [...have].filter((id) => !want.has(id));
    if (lost.length > 0)
      problems.push(`"${name}": ${lost.length} members lost (${lost.slice(0, 3).join(", ")}...)`);
    if (extra.length > 0)
      problems.push(`"${name}": ${extra.length} unexpected members (${extra.slice(0, 3).join(", ")}...)`);
  }
  return problems;
}

/** mulberry32, for seeded choices in tests. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
