import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { run } from "../src/cli.js";
import { generateSeed } from "../src/index.js";

function capture(): { stream: PassThrough; text: () => string; firstLine: () => Promise<string> } {
  const stream = new PassThrough();
  let text = "";
  const waiters: Array<(line: string) => void> = [];
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    if (text.includes("\n")) for (const w of waiters.splice(0)) w(text.split("\n")[0] as string);
  });
  return {
    stream,
    text: () => text,
    firstLine: () =>
      text.includes("\n")
        ? Promise.resolve(text.split("\n")[0] as string)
        : new Promise((resolve) => waiters.push(resolve)),
  };
}

async function runServe(args: string[], env: Record<string, string> = {}) {
  const out = capture();
  const err = capture();
  const controller = new AbortController();
  const exit = run(["serve", ...args], {
    stdout: out.stream,
    stderr: err.stream,
    env,
    signal: controller.signal,
  });
  const url = await Promise.race([out.firstLine(), exit.then((code) => `exited ${code}: ${err.text()}`)]);
  return { url, exit, stop: () => controller.abort(), err };
}

describe("square-emulator CLI", () => {
  it("serve prints the base URL first, serves the seed file, and persists to the state file atomically", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-cli-"));
    const seedFile = join(dir, "seed.json");
    const stateFile = join(dir, "state.json");
    writeFileSync(seedFile, JSON.stringify(generateSeed({ customers: 20, groups: 2, seed: 3 })));
    const first = await runServe([
      "--port",
      "0",
      "--token",
      "T",
      "--seed-file",
      seedFile,
      "--state-file",
      stateFile,
    ]);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.err.text()).not.toContain("T\n");
    const created = await request(`${first.url}/v2/customers/groups`, {
      method: "POST",
      headers: { authorization: "Bearer T", "content-type": "application/json" },
      body: JSON.stringify({ group: { name: "Persisted" } }),
    });
    expect(created.statusCode).toBe(200);
    await created.body.text();
    first.stop();
    expect(await first.exit).toBe(0);
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as {
      groups: Array<{ name: string }>;
      customers: unknown[];
    };
    expect(state.groups.map((g) => g.name)).toContain("Persisted");
    expect(state.customers).toHaveLength(20);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    // A restart with the state file (and no seed) has the group.
    const second = await runServe(["--state-file", stateFile], { SQUARE_EMULATOR_TOKEN: "T2" });
    const listed = await request(`${second.url}/v2/customers/groups`, {
      headers: { authorization: "Bearer T2" },
    });
    const body = (await listed.body.json()) as { groups: Array<{ name: string }> };
    expect(body.groups.map((g) => g.name)).toContain("Persisted");
    second.stop();
    expect(await second.exit).toBe(0);
  });

  it("serve --throttle-rate answers that share of requests 429", async () => {
    const served = await runServe(["--token", "T", "--throttle-rate", "1"]);
    const reply = await request(`${served.url}/v2/customers/groups`, {
      headers: { authorization: "Bearer T" },
    });
    expect(reply.statusCode).toBe(429);
    await reply.body.text();
    served.stop();
    expect(await served.exit).toBe(0);
  });

  it("generate writes a deterministic seed as JSON", async () => {
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const out = capture();
      const err = capture();
      const code = await run(["generate", "--customers", "30", "--groups", "3", "--seed", "42"], {
        stdout: out.stream,
        stderr: err.stream,
        env: {},
      });
      expect(code).toBe(0);
      outputs.push(out.text());
    }
    expect(outputs[0]).toBe(outputs[1]);
    const parsed = JSON.parse(outputs[0] as string) as { groups: unknown[]; customers: unknown[] };
    expect(parsed).toEqual(JSON.parse(JSON.stringify(generateSeed({ customers: 30, groups: 3, seed: 42 }))));
  });

  it.each([
    [["serve", "--port", "http"], "--port must be an integer"],
    [["serve", "--fault-rate", "2"], "--fault-rate must be a number from 0 to 1"],
    [["serve", "--throttle-rate", "1.5"], "--throttle-rate must be a number from 0 to 1"],
    [["serve", "--search-lag-ms", "soon"], "--search-lag-ms must be milliseconds"],
    [["serve", "--search-lag-ms", "500-100"], "ends before it starts"],
    [["serve", "--rate-limit", "0"], "--rate-limit must be a positive number"],
    [["serve", "--colour"], "Unknown option '--colour'"],
    [["generate", "--customers", "10"], "generate needs --customers and --groups"],
    [["launch"], 'unknown command "launch"'],
    [[], "missing command"],
  ])("rejects %j with a clear message and exit code 2", async (argv, message) => {
    const out = capture();
    const err = capture();
    const code = await run(argv, { stdout: out.stream, stderr: err.stream, env: {} });
    expect(code).toBe(2);
    expect(err.text()).toContain(message);
    expect(err.text()).toContain("Usage:");
    expect(err.text()).not.toMatch(/\n\s+at /);
  });

  it("reports a missing or broken seed file without a stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-cli-"));
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{not json");
    for (const [file, message] of [
      [join(dir, "missing.json"), "cannot read (ENOENT)"],
      [broken, "not valid JSON"],
    ] as const) {
      const err = capture();
      const code = await run(["serve", "--seed-file", file], {
        stdout: capture().stream,
        stderr: err.stream,
        env: {},
      });
      expect(code).toBe(1);
      expect(err.text()).toContain(message);
      expect(err.text()).not.toMatch(/\n\s+at /);
    }
  });

  it.each([["--help"], ["serve", "--help"], ["generate", "-h"]])(
    "%j prints the usage on stdout and exits 0",
    async (...argv) => {
      const out = capture();
      const err = capture();
      const code = await run(argv, { stdout: out.stream, stderr: err.stream, env: {} });
      expect(code).toBe(0);
      expect(out.text()).toMatch(/^Usage:\n {2}square-emulator serve /);
      expect(err.text()).toBe("");
    },
  );

  it("--version prints the version in package.json", async () => {
    const out = capture();
    const code = await run(["--version"], { stdout: out.stream, stderr: capture().stream, env: {} });
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(code).toBe(0);
    expect(out.text()).toBe(`square-emulator ${pkg.version}\n`);
  });
});
