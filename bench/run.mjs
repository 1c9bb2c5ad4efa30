// `pnpm bench`: groupsync against the cost floor of DESIGN.md §7 and against the plain
// sequential script on the official SDK (issue 6). See docs/performance.md.
//
//   node bench/run.mjs [--only S,M,L] [--skip-baseline] [--concurrency N] [--latency MS]
//                      [--rate-limit RPS] [--baseline-sample N] [--drifts 0,0.01] [--via auto|cli|library]
//                      [--repeat N] [--trace]
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import { Buffer } from "node:buffer";
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { parseArgs } from "node:util";
// A groups.yaml larger than this is refused by the CLI: such workloads run through the libraries.
import { MAX_CONFIG_BYTES } from "../packages/config/dist/index.js";
import { runBaseline } from "./baseline-sdk.mjs";
import { startEmulatorThread } from "./emulator-thread.mjs";
import { SIZES, buildWorkload, costFloor } from "./workload.mjs";

const CLI = fileURLToPath(new URL("../apps/planner/dist/groupsync.mjs", import.meta.url));
const PROBE = fileURLToPath(new URL("probe.mjs", import.meta.url));
const LIB = fileURLToPath(new URL("lib-run.mjs", import.meta.url));
const RESULTS = fileURLToPath(new URL("results/", import.meta.url));
const TOKEN = "bench-token-not-a-secret";
/** The client's default maximum concurrency (packages/square); `--concurrency` overrides it. */
const DEFAULT_CONCURRENCY = 32;

const USAGE = `Usage: node bench/run.mjs [options]   (after \`pnpm build\`; \`pnpm bench\` builds first)

Plans and applies the S, M and L workloads against a local emulator (50 ms a call, a rate
limit), reports calls against the cost floor, wall time, CPU and peak RSS, and writes
bench/results/<time>.json. See docs/performance.md.

  --only S,M,L          workloads to run (default S,M,L)
  --drifts 0,0.01       shares of drift to apply (default 0,0.01)
  --skip-baseline       do not time the sequential script on the official SDK
  --baseline-sample N   actions the baseline runs before extrapolating (default 400)
  --latency MS          the emulator's latency per call (default 50)
  --rate-limit RPS      the emulator's token bucket (default 20)
  --concurrency N       the client's maximum concurrency (default ${DEFAULT_CONCURRENCY})
  --via auto|cli|library  run through the CLI, or the libraries for a groups.yaml over the CLI's size limit
  --repeat N            apply each workload N times on fresh emulators; report the median run
  --trace               time each request (undici diagnostics channels) and the CLI's busy share
  -h, --help            this text
`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      help: { type: "boolean", short: "h", default: false },
      only: { type: "string", default: "S,M,L" },
      "skip-baseline": { type: "boolean", default: false },
      concurrency: { type: "string" },
      latency: { type: "string", default: "50" },
      "rate-limit": { type: "string", default: "20" },
      "baseline-sample": { type: "string", default: "400" },
      drifts: { type: "string", default: "0,0.01" },
      via: { type: "string", default: "auto" },
      repeat: { type: "string", default: "1" },
      trace: { type: "boolean", default: false },
    },
  });
} catch (error) {
  process.stderr.write(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const sizes = values.only.split(",").map((s) => s.trim().toUpperCase());
for (const s of sizes) if (!(s in SIZES)) throw new Error(`unknown size ${s} (S, M or L)`);
const latencyMs = Number(values.latency);
const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
const rateLimit = Number(values["rate-limit"]);
const baselineSample = Number(values["baseline-sample"]);
const drifts = values.drifts.split(",").map(Number);
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1)
  throw new Error(`--repeat must be a whole number from 1, not ${values.repeat}`);

const scratch = await mkdtemp(join(tmpdir(), "groupsync-bench-"));
const started = new Date();
const report = {
  date: started.toISOString(),
  command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
  machine: { node: process.version, cpus: cpus().length },
  latencyMs,
  concurrency,
  repeat,
  workloads: [],
  rateLimit: undefined,
};

try {
  for (const size of sizes) {
    for (const drift of drifts) {
      report.workloads.push(await benchWorkload(size, drift));
      await saveReport();
    }
  }
  const rateSize = sizes.includes("M") ? "M" : sizes.find((s) => s !== "L");
  if (rateSize !== undefined) {
    report.rateLimit = await benchRateLimit(rateSize, 0.01);
    await saveReport();
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
printTable();
console.log(`\nresults: ${await saveReport()}`);

async function benchWorkload(sizeName, drift) {
  const size = SIZES[sizeName];
  log(
    `${sizeName} ${pct(drift)} drift: generating ${size.customers} profiles, ${size.groups} groups, ${size.rules} rules`,
  );
  const workload = buildWorkload({ ...size, drift });
  const file = join(scratch, `groups-${sizeName}-${drift}.yaml`);
  await writeFile(file, workload.yaml);
  const via = chooseVia(workload);
  const desiredFile = join(scratch, `desired-${sizeName}-${drift}.json`);
  if (via === "library") await writeFile(desiredFile, JSON.stringify(workload.desiredState()));
  const command = (mode) =>
    via === "library"
      ? [LIB, mode, desiredFile]
      : [
          CLI,
          ...(mode === "apply" ? ["apply", "--auto-approve"] : ["plan", "--detailed-exitcode"]),
          "--file",
          file,
        ];
  const floor = costFloor({ liveGroups: workload.seed.groups.length, ...workload.expected });
  const noDriftFloor = costFloor({
    liveGroups: workload.seed.groups.length,
    liveMembers: workload.expected.liveMembers,
    lookups: 0,
    candidates: 0,
    adds: 0,
    removes: 0,
  });

  let emulator = await startEmulatorThread(
    { token: TOKEN, seed: workload.seed, latencyMs },
    { trace: values.trace },
  );
  const result = {
    size: sizeName,
    drift,
    ...size,
    via,
    yamlBytes: Buffer.byteLength(workload.yaml),
    expected: { ...workload.expected, liveMembers: undefined },
    floor,
  };
  try {
    log("  plan");
    result.plan = await runChild(emulator, command("plan"), drift > 0 ? 2 : 0);
    result.plan.floor = floor.read;
    // With --repeat, each further apply on an emulator fresh from the seed (an apply changes the
    // state), after a plan as the first one (the emulator warmed the same way); the run of median
    // wall time stands for the workload, and every run is kept.
    const runs = [];
    for (let i = 0; i < repeat; i++) {
      if (i > 0) {
        await emulator.stop();
        emulator = await startEmulatorThread(
          { token: TOKEN, seed: workload.seed, latencyMs },
          { trace: values.trace },
        );
        delete (await runChild(emulator, command("plan"), drift > 0 ? 2 : 0)).stdout;
      }
      log(`  apply --auto-approve${repeat > 1 ? ` (${i + 1} of ${repeat})` : ""}`);
      runs.push(await runChild(emulator, command("apply"), 0));
    }
    result.apply = medianRun(runs);
    if (repeat > 1) {
      result.applyRuns = runs.map(({ wallMs, apiMs, cpuMs, calls, maxRssMiB, load, trace }) => ({
        wallMs,
        apiMs,
        cpuMs,
        calls,
        maxRssMiB,
        load,
        ...(trace === undefined ? {} : { trace }),
      }));
    }
    result.apply.floor = floor.total;
    result.apply.idealMs = (result.apply.calls * latencyMs) / concurrency;
    result.apply.criticalPathMs = criticalPath(floor, workload.expected) * latencyMs;
    result.apply.leastMs = leastRounds(floor, workload.expected, concurrency) * latencyMs;
    log("  plan after apply");
    result.replan = await runChild(emulator, command("plan"), 0);
    result.replan.floor = noDriftFloor.read;
    result.replan.noChanges = result.replan.stdout.includes("No changes.");
    for (const run of [result.plan, ...runs, result.replan]) delete run.stdout;
  } finally {
    await emulator.stop();
  }

  if (!values["skip-baseline"]) {
    emulator = await startEmulatorThread({ token: TOKEN, seed: workload.seed, latencyMs });
    try {
      log("  baseline (official SDK, sequential)");
      result.baseline = await benchBaseline(emulator, workload);
      result.speedup = result.baseline.wallMs / result.apply.wallMs;
    } finally {
      await emulator.stop();
    }
  }
  return result;
}

/** The run of median wall time (the lower middle one of an even count). */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * Round trips that must follow one another whatever the concurrency: the group list pages, then
 * the longest group's search pages (by cursor), then one round of look-ups, one of
 * verification and one of writes when there are any. A second yardstick beside the ideal.
 */
function criticalPath(floor, expected) {
  const longest = Math.max(...expected.liveMembers.map((m) => Math.max(1, Math.ceil(m / 100))));
  return (
    floor.listPages +
    longest +
    (floor.lookups > 0 ? 1 : 0) +
    (floor.verify > 0 ? 1 : 0) +
    (floor.writes > 0 ? 1 : 0)
  );
}

/**
 * The fewest rounds of `concurrency` requests the apply takes with a perfect client and a server
 * that answers in exactly the latency: each phase that waits for the one before (DESIGN.md §4,
 * §6) takes at least its longest chain of pages or its calls / concurrency, whichever is more.
 * The first list page; then the group pages, the look-ups and the rest of the list, overlapped
 * (a group's look-ups after its pages);
 * the verification; the adds and the removes (no remove waits for an add: they may overlap);
 * reading the touched profiles back. Start-up and parsing are not in it. `least / ideal` is thus
 * the best `API / ideal` any client can reach.
 */
function leastRounds(floor, expected, concurrency) {
  const rounds = (calls) => Math.ceil(calls / concurrency);
  const longest = Math.max(...expected.liveMembers.map((m) => Math.max(1, Math.ceil(m / 100))));
  // A group's look-ups wait for its last page (every group of a drifted workload has some).
  const chain = longest + (floor.lookups > 0 ? 1 : 0);
  const reads = Math.max(chain, rounds(floor.listPages - 1 + floor.searchPages + floor.lookups));
  const readBack = expected.adds + expected.removes > 0 ? rounds(Math.ceil(expected.candidates / 100)) : 0;
  return 1 + reads + rounds(floor.verify) + rounds(expected.adds + expected.removes) + readBack;
}

async function benchBaseline(emulator, workload) {
  const rules = workload.desired.reduce((n, g) => n + g.rules.length, 0);
  const every = baselineSample > 0 && rules > baselineSample ? Math.ceil(rules / baselineSample) : 1;
  let index = 0;
  const picked = new WeakSet();
  for (const group of workload.desired) {
    for (const rule of group.rules) if (rule.drifted || index++ % every === 0) picked.add(rule);
  }
  const before = (await emulator.stats()).total;
  const outcome = await runBaseline({
    baseUrl: emulator.url,
    token: TOKEN,
    groups: workload.desired,
    ...(every > 1
      ? { sample: { lookUp: (_g, rule) => picked.has(rule), answer: (_g, rule) => rule.profileId } }
      : {}),
  });
  const measuredCalls = (await emulator.stats()).total - before;
  return {
    sampled: every > 1,
    sampleEvery: every,
    lookupsMade: outcome.lookups,
    lookupsExtrapolated: outcome.extrapolatedLookups,
    measuredMs: Math.round(outcome.measuredMs),
    wallMs: Math.round(outcome.wallMs),
    measuredCalls,
    calls: measuredCalls + outcome.extrapolatedLookups,
    adds: outcome.adds,
    removes: outcome.removes,
  };
}

async function benchRateLimit(sizeName, drift) {
  const size = SIZES[sizeName];
  log(`rate limit ${rateLimit}/s: ${sizeName} ${pct(drift)} drift, apply --auto-approve`);
  const workload = buildWorkload({ ...size, drift });
  const file = join(scratch, `groups-rate-${sizeName}.yaml`);
  await writeFile(file, workload.yaml);
  const emulator = await startEmulatorThread({
    token: TOKEN,
    seed: workload.seed,
    latencyMs,
    rateLimit,
  });
  try {
    const run = await runChild(emulator, [CLI, "apply", "--auto-approve", "--file", file], 0);
    delete run.stdout;
    const succeeded = run.calls - run.rateLimited;
    return {
      size: sizeName,
      drift,
      limit: rateLimit,
      ...run,
      // Over the time requests were being made (the CLI's "API calls ... in X s"), and over the
      // whole process (start-up and groups.yaml parsing included).
      achievedPerSecond: succeeded / ((run.apiMs ?? run.wallMs) / 1000),
      achievedPerSecondWall: succeeded / (run.wallMs / 1000),
      share429: run.calls === 0 ? 0 : run.rateLimited / run.calls,
    };
  } finally {
    await emulator.stop();
  }
}

/**
 * How a workload runs: through the CLI (`groupsync plan`/`apply`), unless its groups.yaml is
 * larger than the config loader accepts; then through the same libraries (bench/lib-run.mjs).
 */
function chooseVia(workload) {
  if (values.via !== "auto") return values.via;
  return Buffer.byteLength(workload.yaml) > MAX_CONFIG_BYTES ? "library" : "cli";
}

/**
 * Runs `node ARGS` (the built CLI or bench/lib-run.mjs) in a child process with the probe; the
 * emulator keeps serving in this one.
 */
async function runChild(emulator, args, expectedCode) {
  const probeFile = join(scratch, `probe-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const before = await emulator.stats();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { code, stdout, stderr } = await spawnNode(
    [
      "--import",
      PROBE,
      ...args,
      ...(args[0] === CLI
        ? ["--no-color", ...(values.concurrency === undefined ? [] : ["--concurrency", values.concurrency])]
        : []),
    ],
    {
      PATH: process.env.PATH ?? "",
      NO_COLOR: "1",
      SQUARE_ACCESS_TOKEN: TOKEN,
      SQUARE_BASE_URL: emulator.url,
      BENCH_PROBE_OUT: probeFile,
      ...(values.trace ? { BENCH_TRACE: "1" } : {}),
    },
  );
  const wallMs = performance.now() - t0;
  // This process serves the emulator (in a worker thread; the main thread waits): its CPU time
  // during the run is the emulator's work.
  const cpu = process.cpuUsage(cpu0);
  const after = await emulator.stats();
  if (code !== expectedCode) {
    throw new Error(
      `groupsync ${args.join(" ")} exited ${code}, expected ${expectedCode}\n${tail(stderr)}\n${tail(stdout)}`,
    );
  }
  const probe = JSON.parse(await readFile(probeFile, "utf8"));
  const calls = after.total - before.total;
  // The CLI's own report, `API calls: 47 (...) in 1.23 s.`: the time from its first request on.
  const reported = /API calls: (\d+).* in ([\d.]+) s\./.exec(stdout + stderr);
  return {
    code,
    // Other work on the machine skews wall times: the 1-minute load average when the run ended.
    load: Number(loadavg()[0].toFixed(2)),
    calls,
    reportedCalls: reported ? Number(reported[1]) : undefined,
    apiMs: reported ? Math.round(Number(reported[2]) * 1000) : undefined,
    byOperation: delta(after.calls, before.calls),
    rateLimited: after.rateLimited - before.rateLimited,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(probe.cpuMs),
    emulatorCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    maxRssMiB: Math.round(probe.maxRssBytes / 2 ** 20),
    ...(probe.trace === undefined
      ? {}
      : { trace: { ...probe.trace, emulatorHeldMs: heldMs(before, after) } }),
    stdout,
  };
}

/** The mean time the emulator held each request between two of its stats (with --trace). */
function heldMs(before, after) {
  if (before.held === undefined || after.held === undefined) return undefined;
  const count = after.held.count - before.held.count;
  return count === 0 ? undefined : Math.round(((after.held.totalMs - before.held.totalMs) / count) * 10) / 10;
}

function spawnNode(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? (signal ? -1 : 0),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

function delta(after, before) {
  const out = {};
  for (const [op, n] of Object.entries(after)) if (n - (before[op] ?? 0) > 0) out[op] = n - (before[op] ?? 0);
  return out;
}

async function saveReport() {
  await mkdir(RESULTS, { recursive: true });
  const name = `${started.toISOString().slice(0, 19).replace(/:/g, "-")}Z.json`;
  const path = join(RESULTS, name);
  // Atomic: a reader never sees half a file (the .tmp name is gitignored).
  await writeFile(`${path}.tmp`, JSON.stringify(report, null, 2) + "\n");
  await rename(`${path}.tmp`, path);
  return path;
}

function printTable() {
  const rows = [
    [
      "workload",
      "calls",
      "floor",
      "x floor",
      "wall s",
      "API s",
      "ideal s",
      "x ideal",
      "API x ideal",
      "path s",
      "least s",
      "least x ideal",
      "plan RSS",
      "plan CPU s",
      "baseline s",
      "speedup",
      "load",
    ],
  ];
  for (const w of report.workloads) {
    rows.push([
      `${w.size} ${pct(w.drift)}`,
      String(w.apply.calls),
      String(w.apply.floor),
      ratio(w.apply.calls / w.apply.floor),
      secs(w.apply.wallMs),
      w.apply.apiMs === undefined ? "-" : secs(w.apply.apiMs),
      secs(w.apply.idealMs),
      ratio(w.apply.wallMs / w.apply.idealMs),
      w.apply.apiMs === undefined ? "-" : ratio(w.apply.apiMs / w.apply.idealMs),
      secs(w.apply.criticalPathMs),
      w.apply.leastMs === undefined ? "-" : secs(w.apply.leastMs),
      w.apply.leastMs === undefined ? "-" : ratio(w.apply.leastMs / w.apply.idealMs),
      `${w.plan.maxRssMiB} MiB`,
      secs(w.plan.cpuMs),
      w.baseline ? `${secs(w.baseline.wallMs)}${w.baseline.sampled ? "*" : ""}` : "-",
      w.speedup ? `${w.speedup.toFixed(1)}x` : "-",
      String(w.apply.load),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log("");
  for (const row of rows)
    console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  console.log(
    `\ncalls, wall: apply --auto-approve (plan + apply, one process) against the floor of DESIGN.md §7;` +
      `\nAPI s: the CLI's own "API calls ... in X s" (from its first request); ideal = calls x ${latencyMs} ms / ${concurrency};` +
      `\nAPI x ideal: API s / ideal s, the part of the wall time the client's scheduling decides (no start-up, no parsing);` +
      `\npath s: round trips that cannot overlap (list pages, the longest group's pages, a round each of look-ups,` +
      `\nverification and writes) x ${latencyMs} ms. least s: the fewest rounds of ${concurrency} calls a perfect client` +
      `\nneeds (each phase its longest chain or calls / ${concurrency}, phases one after another) x ${latencyMs} ms, without` +
      `\nstart-up; least x ideal: the best API x ideal possible. plan RSS / CPU: the plan command alone.` +
      `\nload: the machine's 1-minute load average after the apply (${cpus().length} cores); other work skews wall times.`,
  );
  if (report.workloads.some((w) => w.baseline?.sampled)) {
    console.log(
      "* baseline sampled: a deterministic share of the rules was looked up over the API (every n-th rule plus every" +
        "\n  drifted one); the time of the other look-ups is extrapolated linearly from their mean. Member listing and" +
        "\n  every add/remove ran for real.",
    );
  }
  if (repeat > 1) {
    console.log(
      `\nwall s of each apply (${repeat} runs, each on an emulator fresh from the seed; the table shows the median):`,
    );
    for (const w of report.workloads) {
      const walls = w.applyRuns.map((r) => secs(r.wallMs)).join(", ");
      const ideals = w.applyRuns.map((r) => ratio(r.wallMs / w.apply.idealMs)).join(", ");
      console.log(`  ${w.size} ${pct(w.drift)}: ${walls} (x ideal: ${ideals})`);
    }
  }
  if (values.trace) {
    console.log("\nrequests of the apply shown (--trace; ms from the CLI's start, per-call times in ms):");
    for (const w of report.workloads) {
      const t = w.apply.trace;
      if (t === undefined || t.requests === 0) continue;
      console.log(
        `  ${w.size} ${pct(w.drift)}: first request ${t.firstRequestMs}, last answer ${t.lastAnswerMs}, exit ${t.exitMs};` +
          ` wait ${t.waitMs.mean} (p50 ${t.waitMs.p50}, p90 ${t.waitMs.p90}), creation to socket ${t.toSocketMs.mean}` +
          ` (p50 ${t.toSocketMs.p50}), emulator held ${t.emulatorHeldMs ?? "-"}; ${t.inFlight} in flight;` +
          ` the CLI's thread busy ${Math.round(t.busy * 100)}% of the time`,
      );
    }
  }
  for (const w of report.workloads) {
    if (!w.replan.noChanges)
      console.log(`!! ${w.size} ${pct(w.drift)}: the plan after apply did not say "No changes."`);
  }
  const r = report.rateLimit;
  if (r) {
    console.log(
      `\nrate limit ${r.limit}/s (${r.size} ${pct(r.drift)} apply): ${r.achievedPerSecond.toFixed(1)} requests/s achieved ` +
        `while requesting (${((r.achievedPerSecond / r.limit) * 100).toFixed(0)}% of the limit; ` +
        `${r.achievedPerSecondWall.toFixed(1)}/s over the whole process), ${r.rateLimited} x 429 of ${r.calls} calls ` +
        `(${(r.share429 * 100).toFixed(2)}%), wall ${secs(r.wallMs)} s`,
    );
  }
}

function log(line) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}
function pct(d) {
  return `${+(d * 100).toFixed(2)}%`;
}
function ratio(x) {
  return `${x.toFixed(2)}x`;
}
function secs(ms) {
  return (ms / 1000).toFixed(2);
}
function tail(s) {
  return s.split("\n").slice(-15).join("\n");
}
