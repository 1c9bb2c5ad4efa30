// Times `parseConfig` on the benchmark's groups.yaml files (README "Figures"):
//   node packages/config/bench/parse.mjs [S|M|L ...] [--runs N] [--baseline path/to/other/dist/index.js]
//     [--with-problem]
// Needs the built package (`npx pnpm@12.4.2 --filter @groupsync/config build`) and the built
// emulator (bench/workload.mjs). Each file is generated once (deterministic, seed 42, 1% drift) into
// the OS temp directory; each run is a fresh `node` process, so peak RSS is that of one parse.
// With --baseline, runs of that build (e.g. a copy of an earlier dist/) alternate with this one's,
// so that both see the same load on a shared machine. --with-problem adds one invalid email in the
// middle of the file: the path that reports problems with their positions.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

if (process.argv[2] === "--child") {
  // One measured parse: read the file, parse, print time and peak RSS as JSON.
  const { parseConfig } = await import(pathToFileURL(process.argv[4]).href);
  const text = readFileSync(process.argv[3], "utf8");
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = parseConfig(text, { file: "groups.yaml" });
  const cpu = process.cpuUsage(cpuStart);
  const ms = performance.now() - start;
  // CPU time (all threads, GC included) is steadier than wall time on a busy machine.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rules = result.ok ? result.desired.groups.reduce((n, g) => n + g.rules.length, 0) : -1;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, cpuMs, maxRssMiB, ok: result.ok, rules }));
  process.exit(0);
}

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log(
    "usage: node packages/config/bench/parse.mjs [S|M|L ...] [--runs 5] [--baseline other/dist/index.js] [--with-problem]",
  );
  process.exit(0);
}
const runsAt = args.indexOf("--runs");
const runs = runsAt === -1 ? 5 : Number(args[runsAt + 1]);
const baselineAt = args.indexOf("--baseline");
const builds = [["this", join(here, "../dist/index.js")]];
if (baselineAt !== -1) builds.push(["baseline", resolve(args[baselineAt + 1])]);
const sizes = args.filter((a) => /^[SML]$/.test(a));

for (const size of sizes.length > 0 ? sizes : ["M"]) {
  let file = join(tmpdir(), `groupsync-config-bench-${size}.yaml`);
  if (!existsSync(file)) {
    const { buildWorkload, SIZES } = await import(
      pathToFileURL(join(here, "../../../bench/workload.mjs")).href
    );
    writeFileSync(file, buildWorkload({ ...SIZES[size], drift: 0.01 }).yaml);
  }
  if (args.includes("--with-problem")) {
    const text = readFileSync(file, "utf8");
    const at = text.indexOf("\n      - ", text.length / 2) + 1;
    file = join(tmpdir(), `groupsync-config-bench-${size}-problem.yaml`);
    writeFileSync(file, `${text.slice(0, at)}      - email: not-an-email\n${text.slice(at)}`);
  }
  const mib = readFileSync(file).length / 2 ** 20;
  const samples = builds.map(() => []);
  for (let i = 0; i < runs; i++) {
    builds.forEach(([, dist], b) => {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", file, dist], {
        encoding: "utf8",
      });
      if (child.status !== 0) throw new Error(child.stderr);
      samples[b].push(JSON.parse(child.stdout));
    });
  }
  builds.forEach(([name], b) => {
    const best = (key) => Math.min(...samples[b].map((s) => s[key]));
    const { ok, rules } = samples[b][0];
    console.log(
      `${size} (${mib.toFixed(1)} MiB, ${rules} rules, ok ${ok}), ${name}: best of ${runs} ${best("ms").toFixed(0)} ms ` +
        `(CPU ${best("cpuMs").toFixed(0)} ms), peak RSS ${best("maxRssMiB").toFixed(0)} MiB ` +
        `(all: ${samples[b].map((s) => s.ms.toFixed(0)).join(", ")} ms)`,
    );
  });
}
