// Prints the figures table of docs/performance.md (markdown) from bench/results files. Later files
// win for a workload; a workload measured without its baseline (--skip-baseline) takes the
// baseline of the newest earlier file that has one, since the baseline does not run groupsync.
//
//   node bench/table.mjs bench/results/A.json [bench/results/B.json ...]
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import console from "node:console";
import process from "node:process";

const files = process.argv.slice(2);
if (files.length === 0 || files.includes("--help")) {
  console.log("usage: node bench/table.mjs bench/results/<date>.json [more files, oldest first]");
  process.exit(files.length === 0 ? 1 : 0);
}

const rows = new Map();
const baselines = new Map();
let rateLimit;
for (const file of files) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  for (const w of report.workloads) {
    const key = `${w.size} ${pct(w.drift)}`;
    rows.set(key, {
      ...w,
      file: basename(file),
      latencyMs: report.latencyMs,
      concurrency: report.concurrency,
    });
    if (w.baseline) baselines.set(key, { baseline: w.baseline, file: basename(file) });
  }
  if (report.rateLimit) rateLimit = { ...report.rateLimit, file: basename(file) };
}

console.log(
  "| workload | calls / floor | wall s | ideal s | wall / ideal | least s | plan RSS | plan CPU s | plan again | baseline s | speed-up |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
const notes = new Set();
for (const [key, w] of [...rows].sort(([a], [b]) => order(a) - order(b))) {
  const a = w.apply;
  const walls = (w.applyRuns ?? [a]).map((r) => r.wallMs).sort((x, y) => x - y);
  const wall =
    walls.length > 1 ? `${secs(a.wallMs)} (${secs(walls[0])}-${secs(walls.at(-1))})` : secs(a.wallMs);
  const found = w.baseline ? { baseline: w.baseline, file: w.file } : baselines.get(key);
  let baseline = "-";
  let speedup = "-";
  if (found) {
    baseline = `${secs(found.baseline.wallMs)}${found.baseline.sampled ? "*" : ""}`;
    speedup = `${Math.round(found.baseline.wallMs / a.wallMs).toLocaleString("en-US")}x`;
    if (found.file !== w.file) {
      baseline += "†";
      notes.add(`† baseline from ${found.file}.`);
    }
  }
  if (walls.length > 1) notes.add(`wall s: the median of ${walls.length} applies (range in brackets).`);
  const again = w.replan.noChanges
    ? `No changes, ${n(w.replan.calls)} calls`
    : `changes (${n(w.replan.calls)} calls)`;
  console.log(
    `| ${key} | ${n(a.calls)} / ${n(a.floor)} | ${wall} | ${secs(a.idealMs)} | ${ratio(a.wallMs / a.idealMs)} | ` +
      `${secs(a.leastMs)} | ${w.plan.maxRssMiB} MiB | ${secs(w.plan.cpuMs)} | ${again} | ${baseline} | ${speedup} |`,
  );
}
console.log("");
const used = new Set([...rows.values()].map((w) => w.file));
console.log(
  `From ${files
    .map((f) => basename(f))
    .filter((f) => used.has(f))
    .join(" and ")}. ${[...notes].join(" ")}`,
);
if (rateLimit) {
  const achieved = rateLimit.achievedPerSecond;
  console.log(
    `Rate limit (${rateLimit.size} ${pct(rateLimit.drift)}, token bucket of ${rateLimit.limit}/s, ${rateLimit.file}): ` +
      `${achieved.toFixed(1)} requests/s succeeded while requesting (${pct(achieved / rateLimit.limit)} of the limit), ` +
      `${rateLimit.rateLimited} x 429 of ${rateLimit.calls} calls (${pct(rateLimit.share429, 2)}).`,
  );
}

function n(x) {
  return x.toLocaleString("en-US");
}
function order(key) {
  const [size, drift] = key.split(" ");
  return "SML".indexOf(size) * 1000 + Number.parseFloat(drift);
}
function secs(ms) {
  if (ms === undefined) return "-";
  const s = ms / 1000;
  return s >= 100 ? Math.round(s).toLocaleString("en-US") : s.toFixed(2);
}
function ratio(x) {
  return `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
}
function pct(x, digits = 0) {
  return `${(x * 100).toFixed(digits)}%`;
}
