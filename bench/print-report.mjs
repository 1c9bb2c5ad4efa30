// The table `pnpm bench` prints at the end, and the number formats of its lines.
import console from "node:console";
import { cpus } from "node:os";

/** The report as a table, with what each column means and the notes of the run. */
export function printTable(report, { latencyMs, concurrency, repeat, trace }) {
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
  if (trace) {
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

export function pct(d) {
  return `${+(d * 100).toFixed(2)}%`;
}
export function ratio(x) {
  return `${x.toFixed(2)}x`;
}
export function secs(ms) {
  return (ms / 1000).toFixed(2);
}
