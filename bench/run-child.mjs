// The benchmark's child processes: the built CLI or bench/lib-run.mjs, run with the probe
// (CPU, peak RSS, --trace) while the emulator keeps serving in the parent.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import process from "node:process";

export const CLI = fileURLToPath(new URL("../apps/planner/dist/groupsync.mjs", import.meta.url));
const PROBE = fileURLToPath(new URL("probe.mjs", import.meta.url));
export const TOKEN = "bench-token-not-a-secret";

/**
 * `runChild(emulator, args, expectedCode)`: runs `node ARGS` (the built CLI or bench/lib-run.mjs) in a child process with the probe; the
 * emulator keeps serving in this one. `concurrency` (a string, or undefined for the default)
 * and `trace` are the run's --concurrency and --trace; probe files go to `scratch`.
 */
export function createChildRunner({ scratch, concurrency, trace }) {
  return async function runChild(emulator, args, expectedCode) {
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
          ? ["--no-color", ...(concurrency === undefined ? [] : ["--concurrency", concurrency])]
          : []),
      ],
      {
        PATH: process.env.PATH ?? "",
        NO_COLOR: "1",
        SQUARE_ACCESS_TOKEN: TOKEN,
        SQUARE_BASE_URL: emulator.url,
        BENCH_PROBE_OUT: probeFile,
        ...(trace ? { BENCH_TRACE: "1" } : {}),
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

function tail(s) {
  return s.split("\n").slice(-15).join("\n");
}
