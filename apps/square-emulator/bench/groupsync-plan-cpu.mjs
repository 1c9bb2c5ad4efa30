// Emulator CPU per call while groupsync's CLI plans the M workload, as bench/run.mjs measures it
// (the emulator in this process, the CLI in a child; this process's CPU is the emulator's). Run
// after building the emulator and the CLI (apps/planner), from the repository root:
//   node apps/square-emulator/bench/groupsync-plan-cpu.mjs [--plans 3] [--latency-ms 50] [--dist DIR]
// The first plan meets cold caches and JIT; the later ones read the same state again. --dist
// runs another build of the emulator (its dist directory), to compare two builds.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    plans: { type: "string", default: "3" },
    "latency-ms": { type: "string", default: "50" },
    dist: { type: "string" },
  },
});
const dist = values.dist ? pathToFileURL(`${resolve(values.dist)}/`).href : "../dist/";
const { startEmulator } = await import(`${dist}index.js`);
const { SIZES, buildWorkload } = await import("../../../bench/workload.mjs");
const CLI = fileURLToPath(new URL("../../planner/dist/cli.js", import.meta.url));
const TOKEN = "bench-token-not-a-secret";

const workload = buildWorkload({ ...SIZES.M, drift: 0.01 });
const scratch = await mkdtemp(join(tmpdir(), "emulator-plan-cpu-"));
const file = join(scratch, "groups.yaml");
await writeFile(file, workload.yaml);
const emulator = await startEmulator({
  token: TOKEN,
  seed: structuredClone(workload.seed),
  latencyMs: Number(values["latency-ms"]),
});

function plan() {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [CLI, "plan", "--detailed-exitcode", "--no-color", "--file", file],
      {
        env: {
          PATH: process.env.PATH ?? "",
          NO_COLOR: "1",
          SQUARE_ACCESS_TOKEN: TOKEN,
          SQUARE_BASE_URL: emulator.url,
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    child.on("error", fail);
    child.on("exit", (code) => (code === 2 ? done() : fail(new Error(`groupsync plan exited ${code}`))));
  });
}

try {
  console.log("plan  calls  wall ms  emulator CPU ms  per call");
  for (let i = 1; i <= Number(values.plans); i++) {
    const calls0 = emulator.stats().total;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await plan();
    const cpu = process.cpuUsage(cpu0);
    const calls = emulator.stats().total - calls0;
    const ms = (cpu.user + cpu.system) / 1000;
    const wall = Math.round(performance.now() - t0);
    console.log(`${i}     ${calls}    ${wall}     ${Math.round(ms)}              ${(ms / calls).toFixed(2)}`);
  }
} finally {
  await emulator.stop();
  await rm(scratch, { recursive: true, force: true });
}
