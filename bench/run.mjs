// `pnpm bench`: groupsync against the cost floor of DESIGN.md §7 and against the plain
// sequential script on the official SDK (issue 6). See docs/performance.md.
//
//   node bench/run.mjs [--only S,M,L] [--skip-baseline] [--concurrency N] [--latency MS]
//                      [--rate-limit RPS] [--baseline-sample N] [--drifts 0,0.01] [--via auto|cli|library]
//                      [--repeat N] [--trace]
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import { Buffer } from "node:buffer";
import console from "node:console";
import process from "node:process";
import { parseArgs } from "node:util";
// A groups.yaml larger than this is refused by the CLI: such workloads run through the libraries.
import { MAX_CONFIG_BYTES } from "../packages/config/dist/index.js";
import { runBaseline } from "./baseline-sdk.mjs";
import { startEmulatorThread } from "./emulator-thread.mjs";
import { pct, printTable } from "./print-report.mjs";
import { CLI, createChildRunner, TOKEN } from "./run-child.mjs";
import { SIZES, buildWorkload, costFloor } from "./workload.mjs";
import { criticalPath, leastRounds } from "./yardsticks.mjs";

const LIB = fileURLToPath(new URL("lib-run.mjs", import.meta.url));
const RESULTS = fileURLToPath(new URL("results/", import.meta.url));
/** The client's default maximum concurrency (packages/square); `--concurrency` overrides it. */
const DEFAULT_CONCURRENCY = 32;

const USAGE = `Usage: node bench/run.mjs [options]   (after \`pnpm build\`; \`pnpm bench\` builds first)

Plans and applies the S, M and L workloads against a local emulator (50 ms a call, a rate
limit), reports calls against the cost floor, wall time, CPU and peak RSS, and writes
bench/results/<time>.json (node bench/table.mjs <files> prints docs/performance.md's table).

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
const runChild = createChildRunner({ scratch, concurrency: values.concurrency, trace: values.trace });
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
printTable(report, { latencyMs, concurrency, repeat, trace: values.trace });
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

async function saveReport() {
  await mkdir(RESULTS, { recursive: true });
  const name = `${started.toISOString().slice(0, 19).replace(/:/g, "-")}Z.json`;
  const path = join(RESULTS, name);
  // Atomic: a reader never sees half a file (the .tmp name is gitignored).
  await writeFile(`${path}.tmp`, JSON.stringify(report, null, 2) + "\n");
  await rename(`${path}.tmp`, path);
  return path;
}

function log(line) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}
