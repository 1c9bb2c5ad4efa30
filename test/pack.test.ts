import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Issue 18 (DESIGN.md §9): the packed tarballs install on a fresh prefix without the workspace
// and work there. groupsync has no dependencies, so its install runs --offline; the emulator's
// one dependency (libphonenumber-js) comes from the npm cache when it is there, else the registry.
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PLANNER = join(ROOT, "apps/planner");
const EMULATOR = join(ROOT, "apps/square-emulator");
const MAX_INSTALL_BYTES = 60 * 1024 * 1024;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], options: { cwd: string; env?: Record<string, string> }) {
  return new Promise<Outcome>((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? tmpdir(), ...options.env },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function ok(file: string, args: string[], cwd: string): Promise<string> {
  const result = await exec(file, args, { cwd, env: npmEnv() });
  if (result.code !== 0) {
    throw new Error(`${file} ${args.join(" ")} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/** npm's and pnpm's settings from the environment (cache, registry), without vitest's own. */
function npmEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && /^(npm_config_|COREPACK_|XDG_|NODE_EXTRA_CA_CERTS$)/i.test(key))
      env[key] = value;
  }
  return env;
}

/** `pnpm pack` of the package in `dir` into `dest`; the tarball's path. */
async function pack(dir: string, dest: string): Promise<string> {
  const before = new Set(await readdir(dest));
  await ok("npx", ["-y", "pnpm@12.4.2", "pack", "--pack-destination", dest], dir);
  const made = (await readdir(dest)).filter((f) => f.endsWith(".tgz") && !before.has(f));
  expect(made).toHaveLength(1);
  return join(dest, made[0] as string);
}

async function install(prefix: string, tarball: string, mode: "--offline" | "--prefer-offline") {
  await ok("npm", ["install", "--prefix", prefix, mode, "--no-audit", "--no-fund", tarball], prefix);
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

async function version(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** Starts the installed `square-emulator serve` and resolves to its URL (its first stdout line). */
function serve(bin: string, cwd: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(bin, ["serve", "--port", "0", "--token", "pack-test-token"], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (url) => resolve({ url, child }));
    child.once("exit", (code) => reject(new Error(`square-emulator exited ${code}: ${stderr}`)));
  });
}

describe("the published packages", () => {
  let dir: string;
  let cli: string;
  let emulatorBin: string;
  let cliPrefix: string;
  let emulator: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "groupsync-pack-"));
    const tarballs = join(dir, "tarballs");
    cliPrefix = join(dir, "cli");
    const emulatorPrefix = join(dir, "emulator");
    for (const d of [tarballs, cliPrefix, emulatorPrefix]) await mkdir(d);
    const [cliTarball, emulatorTarball] = [await pack(PLANNER, tarballs), await pack(EMULATOR, tarballs)];
    await install(cliPrefix, cliTarball, "--offline");
    await install(emulatorPrefix, emulatorTarball, "--prefer-offline");
    cli = join(cliPrefix, "node_modules/.bin/groupsync");
    emulatorBin = join(emulatorPrefix, "node_modules/.bin/square-emulator");
  }, 300_000);

  afterAll(async () => {
    emulator?.kill("SIGTERM");
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("groupsync installs alone (no workspace package, no emulator), small", async () => {
    const installed = await readdir(join(cliPrefix, "node_modules"));
    expect(installed.filter((name) => !name.startsWith("."))).toEqual(["groupsync"]);
    // The bundle, string-width beside it and the schema for editors: the validators are generated
    // code, so no ajv.
    expect((await readdir(join(cliPrefix, "node_modules/groupsync/dist"))).sort()).toEqual([
      "groups.schema.json",
      "groupsync.mjs",
      "string-width.cjs",
    ]);
    expect(await sizeOf(join(cliPrefix, "node_modules"))).toBeLessThan(MAX_INSTALL_BYTES);
  });

  it("groupsync --version prints the version of apps/planner/package.json", async () => {
    const result = await exec(cli, ["--version"], { cwd: dir });
    expect(result).toEqual({ code: 0, stdout: `groupsync ${await version(PLANNER)}\n`, stderr: "" });
  });

  it("validate passes a good file and points at the problem in a bad one", async () => {
    const work = await mkdtemp(join(dir, "validate-"));
    await writeFile(join(work, "groups.yaml"), "version: 1\ngroups:\n  vip:\n    name: VIP\n");
    await writeFile(join(work, "bad.yaml"), "version: 1\ngroups:\n  vip:\n    name: VIP\n    colour: red\n");
    expect((await exec(cli, ["validate"], { cwd: work })).code).toBe(0);
    const bad = await exec(cli, ["validate", "--file", "bad.yaml"], { cwd: work });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("bad.yaml:5:5: groups.vip: unknown key 'colour'");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    // The caret after wide characters: dist/string-width.cjs is in the tarball and loads.
    await writeFile(join(work, "wide.yaml"), "version: 1\ngroups:\n  vip: {name: 国際, colour: red}\n");
    const wide = await exec(cli, ["validate", "--file", "wide.yaml"], { cwd: work });
    expect(wide.stderr).toContain(
      `    3 |   vip: {name: 国際, colour: red}\n      | ${" ".repeat(20)}^~~~~~`,
    );
  });

  it("square-emulator serve --help works from its own install", async () => {
    const result = await exec(emulatorBin, ["serve", "--help"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("square-emulator serve [--port 0]");
  });

  it("plan against the installed emulator's serve, saving a plan that records the version", async () => {
    const started = await serve(emulatorBin, dir);
    emulator = started.child;
    const work = await mkdtemp(join(dir, "plan-"));
    await writeFile(
      join(work, "groups.yaml"),
      "version: 1\ngroups:\n  vip:\n    name: VIP\n    missing: create\n    members:\n      - email: ada@example.com\n",
    );
    const env = { SQUARE_ACCESS_TOKEN: "pack-test-token", SQUARE_BASE_URL: started.url, NO_COLOR: "1" };
    const result = await exec(cli, ["plan", "--out", "plan.json", "--detailed-exitcode"], { cwd: work, env });
    expect(result.stderr).toMatch(/^API calls: \d+ /m);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('+ group.vip "VIP"');
    expect(result.stdout).toContain(
      "Plan: 1 to create, 0 to rename, 1 to add, 0 to remove, 1 profile to create.",
    );
    const plan = JSON.parse(await readFile(join(work, "plan.json"), "utf8")) as { createdBy: string };
    expect(plan.createdBy).toBe(await version(PLANNER));
  });
});
