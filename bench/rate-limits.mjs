// `node bench/rate-limits.mjs`: the two 429 figures of issue 17 in one run (docs/performance.md).
//
// 1. Sporadic 429s: `groupsync apply` of 300 adds, against the emulator answering a random 5% of
//    requests 429 (`throttleRate`) and without; the two alternated, each on a fresh emulator.
//    Target: the apply with 429s takes at most 2.5x as long.
// 2. A limit reached: the benchmark's rate-limit run (bench/run.mjs), `apply` of M at 1% drift
//    against a token bucket of 20 requests/s. Target: >= 90% of the limit, < 2% of calls 429.
//
//   node bench/rate-limits.mjs [--runs 5] [--latency 50] [--rate-limit 20] [--throttle-rate 0.05]
//                              [--skip-sporadic] [--skip-bucket] [--cli path/to/groupsync.mjs]
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { parseArgs } from "node:util";
import { generateSeed } from "@groupsync/square-emulator";
import { startEmulatorThread } from "./emulator-thread.mjs";
import { SIZES, buildWorkload } from "./workload.mjs";

const BUILT_CLI = fileURLToPath(new URL("../apps/planner/dist/groupsync.mjs", import.meta.url));
const TOKEN = "bench-token-not-a-secret";
const ADDS = 300;

const USAGE = `usage: node bench/rate-limits.mjs [options]   (docs/performance.md, "429s")

  --runs N              pairs of applies with and without random 429s [5]
  --throttle-rate R     share of requests the emulator answers 429 at random [0.05]
  --rate-limit RPS      token bucket of the limit run (apply of M at 1% drift) [20]
  --latency MS          the emulator's latency on every call [50]
  --skip-sporadic       only the token-bucket run
  --skip-bucket         only the sporadic-429 pairs
  --cli PATH            the groupsync.mjs to run [apps/planner/dist/groupsync.mjs]`;

const { values } = parseArgs({
  options: {
    help: { type: "boolean", default: false },
    runs: { type: "string", default: "5" },
    latency: { type: "string", default: "50" },
    "rate-limit": { type: "string", default: "20" },
    "throttle-rate": { type: "string", default: "0.05" },
    "skip-sporadic": { type: "boolean", default: false },
    "skip-bucket": { type: "boolean", default: false },
    cli: { type: "string", default: BUILT_CLI },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const CLI = values.cli;
const runs = Number(values.runs);
const latencyMs = Number(values.latency);
const rateLimit = Number(values["rate-limit"]);
const throttleRate = Number(values["throttle-rate"]);

const scratch = await mkdtemp(join(tmpdir(), "groupsync-rate-limits-"));
try {
  const sporadic = values["skip-sporadic"] ? undefined : await measureSporadic();
  const bucket = values["skip-bucket"] ? undefined : await measureBucket();
  console.log("");
  if (sporadic !== undefined) printSporadic(sporadic);
  if (bucket !== undefined) {
    console.log(`token bucket of ${rateLimit}/s, apply of M at 1% drift, ${latencyMs} ms latency:`);
    console.log(
      `  ${bucket.achieved.toFixed(1)} requests/s succeeded while requesting (${pct(bucket.achieved / rateLimit)} of the limit; target >= 90%), ` +
        `${bucket.rateLimited} x 429 of ${bucket.calls} calls (${pct(bucket.rateLimited / bucket.calls)}; target < 2%), wall ${secs(bucket.wallMs)} s`,
    );
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

function printSporadic(sporadic) {
  console.log(
    `sporadic 429s (${pct(throttleRate)} at random), apply of ${ADDS} adds, ${latencyMs} ms latency, ${runs} runs each:`,
  );
  console.log(
    `  without: median ${secs(sporadic.without.median)} s (${sporadic.without.walls.map(secs).join(", ")})`,
  );
  console.log(
    `  with:    median ${secs(sporadic.with.median)} s (${sporadic.with.walls.map(secs).join(", ")}); ` +
      `${sporadic.with.rateLimited} x 429 of ${sporadic.with.calls} calls in the median run`,
  );
  console.log(
    `  ratio:   ${sporadic.ratio.toFixed(2)}x (median of the pairs: ${sporadic.pairRatios.map((r) => r.toFixed(2)).join(", ")}; target <= 2.5x)`,
  );
}

/** One group of 2,000 profiles' account, none a member; groups.yaml names 300 of them by ID. */
async function measureSporadic() {
  const seed = generateSeed({ customers: 2_000, groups: 1, seed: 17 });
  for (const c of seed.customers) c.group_ids = [];
  const group = seed.groups[0];
  const members = seed.customers.slice(0, ADDS);
  const yaml =
    [
      "version: 1",
      "groups:",
      "  team:",
      `    name: ${JSON.stringify(group.name)}`,
      "    members:",
      ...members.map((c) => `      - customer_id: ${c.id}`),
    ].join("\n") + "\n";
  const file = join(scratch, "sporadic.yaml");
  await writeFile(file, yaml);
  const without = [];
  const withThrottle = [];
  for (let i = 0; i < runs; i++) {
    log(`sporadic: run ${i + 1} of ${runs}`);
    without.push(await applyOnce(seed, file, { randomSeed: i + 1 }));
    withThrottle.push(await applyOnce(seed, file, { throttleRate, randomSeed: i + 1 }));
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
  const walls = (list) => list.map((r) => r.wallMs);
  const pairRatios = without.map((w, i) => withThrottle[i].wallMs / w.wallMs);
  const medianWith = median(walls(withThrottle));
  const run = withThrottle.find((r) => r.wallMs === medianWith);
  return {
    without: { walls: walls(without), median: median(walls(without)) },
    with: { walls: walls(withThrottle), median: medianWith, rateLimited: run.rateLimited, calls: run.calls },
    ratio: median(pairRatios),
    pairRatios,
  };
}

async function applyOnce(seed, file, faults) {
  const emulator = await startEmulatorThread({ token: TOKEN, seed, latencyMs, ...faults });
  try {
    const before = await emulator.stats();
    const outcome = await runCli(["apply", "--auto-approve", "--file", file], emulator.url);
    const after = await emulator.stats();
    if (outcome.code !== 0) throw new Error(`apply exited ${outcome.code}\n${outcome.stderr.slice(-2000)}`);
    if ((after.calls.AddGroupToCustomer ?? 0) < ADDS) throw new Error("the apply did not add every member");
    return {
      wallMs: outcome.wallMs,
      calls: after.total - before.total,
      rateLimited: after.rateLimited - before.rateLimited,
    };
  } finally {
    await emulator.stop();
  }
}

/** As bench/run.mjs's rate-limit run. */
async function measureBucket() {
  log(`token bucket: M 1% drift, ${rateLimit} requests/s`);
  const workload = buildWorkload({ ...SIZES.M, drift: 0.01 });
  const file = join(scratch, "bucket.yaml");
  await writeFile(file, workload.yaml);
  const emulator = await startEmulatorThread({ token: TOKEN, seed: workload.seed, latencyMs, rateLimit });
  try {
    const before = await emulator.stats();
    const outcome = await runCli(["apply", "--auto-approve", "--file", file], emulator.url);
    const after = await emulator.stats();
    if (outcome.code !== 0) throw new Error(`apply exited ${outcome.code}\n${outcome.stderr.slice(-2000)}`);
    const calls = after.total - before.total;
    const rateLimited = after.rateLimited - before.rateLimited;
    // The CLI's own "API calls ... in X s": the time requests were being made.
    const reported = /API calls: \d+.* in ([\d.]+) s\./.exec(outcome.stderr);
    const apiMs = reported ? Number(reported[1]) * 1000 : outcome.wallMs;
    return { calls, rateLimited, achieved: (calls - rateLimited) / (apiMs / 1000), wallMs: outcome.wallMs };
  } finally {
    await emulator.stop();
  }
}

function runCli(args, url) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", SQUARE_ACCESS_TOKEN: TOKEN, SQUARE_BASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
}

function log(line) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}
function pct(x) {
  return `${+(x * 100).toFixed(2)}%`;
}
function secs(ms) {
  return (ms / 1000).toFixed(2);
}
