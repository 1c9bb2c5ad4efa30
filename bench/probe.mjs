// Loaded with `node --import ./bench/probe.mjs apps/planner/dist/groupsync.mjs ...`: the real CLI runs
// unchanged, and at exit this writes its peak RSS, CPU time and wall time to BENCH_PROBE_OUT.
import process from "node:process";
import { performance } from "node:perf_hooks";
import { writeFileSync } from "node:fs";

const out = process.env.BENCH_PROBE_OUT;
if (out) {
  process.on("exit", (code) => {
    const usage = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({
        code,
        maxRssBytes: usage.maxRSS * 1024,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        wallMs: performance.now(),
      }),
    );
  });
}
