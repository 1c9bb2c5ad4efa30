/* global console, performance, process */
// Peak memory and time of diff over the benchmark workload, in a fresh process:
//   pnpm --filter @groupsync/core build
//   node --expose-gc --max-old-space-size=4096 packages/core/bench/diff-rss.mjs
import { diff, renderJson, rulesNeedingLookup } from "../dist/index.js";
import { generateWorkload } from "./generate.mjs";

const { loadavg } = await import("node:os");
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} (2 cores shared)`,
);

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const maxRss = () => process.resourceUsage().maxRSS * 1024;

let t = performance.now();
const { desired, live, rules } = generateWorkload();
console.log(
  `workload: ${live.profiles.length} profiles, ${live.groups.length} groups, ${rules} rules; generated in ${(performance.now() - t).toFixed(0)} ms`,
);
globalThis.gc?.();
const before = process.memoryUsage();
console.log(
  `after generation: rss ${mib(before.rss)}, heap used ${mib(before.heapUsed)}, peak rss ${mib(maxRss())}`,
);

// Wall time depends on what else the machine runs; CPU time (user + system) of this process
// much less. Three runs each, the fastest reported.
function measure(f) {
  let best = { wall: Infinity, cpu: Infinity, result: undefined };
  for (let run = 0; run < 3; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = f();
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    globalThis.gc?.();
    best = {
      wall: Math.min(best.wall, wall),
      cpu: Math.min(best.cpu, (used.user + used.system) / 1000),
      result,
    };
  }
  return best;
}
const timing = (m) => `${m.wall.toFixed(0)} ms wall, ${m.cpu.toFixed(0)} ms CPU (best of 3)`;
// Memory first: one diff, its plan kept alive, and the process's peak RSS right after it.
const firstPlan = diff(desired, live);
const afterFirst = process.memoryUsage();
console.log(
  `after one diff: rss ${mib(afterFirst.rss)}, heap used ${mib(afterFirst.heapUsed)}, peak rss ${mib(maxRss())}; plan has ${firstPlan.actions.length} actions, ${firstPlan.rules.length} rule resolutions`,
);
const diffRun = measure(() => diff(desired, live));
const plan = diffRun.result;
const lookupRun = measure(() => rulesNeedingLookup(desired, live));
const lookups = lookupRun.result;
t = performance.now();
const json = renderJson(plan);
const jsonMs = performance.now() - t;
const after = process.memoryUsage();
console.log(`diff: ${timing(diffRun)} -> ${JSON.stringify(plan.summary)}`);
console.log(`rulesNeedingLookup: ${timing(lookupRun)} -> ${lookups.length} rules`);
console.log(`renderJson: ${jsonMs.toFixed(0)} ms -> ${mib(json.length)}`);
console.log(
  `at the end (after 4 diffs, 3 look-ups and a JSON rendering): rss ${mib(after.rss)}, heap used ${mib(after.heapUsed)}, peak rss ${mib(maxRss())} `,
);
