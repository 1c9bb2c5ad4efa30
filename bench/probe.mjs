// Loaded with `node --import ./bench/probe.mjs apps/planner/dist/groupsync.mjs ...`: the real CLI runs
// unchanged, and at exit this writes its peak RSS, CPU time and wall time to BENCH_PROBE_OUT.
// With BENCH_TRACE=1 (`node bench/run.mjs --trace`) it also times every request through undici's
// diagnostics channels and measures how busy the CLI's thread was (see `traceRequests`).
import process from "node:process";
import { performance } from "node:perf_hooks";
import { writeFileSync } from "node:fs";
import { subscribe } from "node:diagnostics_channel";

const out = process.env.BENCH_PROBE_OUT;
const trace = process.env.BENCH_TRACE === "1" ? traceRequests() : undefined;
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
        ...(trace === undefined ? {} : { trace: trace() }),
      }),
    );
  });
}

/**
 * Times each request from its creation in undici to its socket write and to the end of its
 * answer, and measures how busy the CLI's thread was between the first request and the last
 * answer (`performance.eventLoopUtilization`: libuv's own idle-time counter, so measuring costs
 * nothing; an answer that arrives while the thread is busy waits). Returns the summary to write
 * at exit (times in ms from the process's start).
 */
function traceRequests() {
  const open = new Map();
  const done = [];
  let firstUse;
  let lastUse;
  subscribe("undici:request:create", ({ request }) => {
    open.set(request, { created: performance.now() });
    firstUse ??= performance.eventLoopUtilization();
  });
  subscribe("undici:client:sendHeaders", ({ request }) => {
    const r = open.get(request);
    if (r !== undefined) r.sent = performance.now();
  });
  subscribe("undici:request:trailers", ({ request }) => {
    const r = open.get(request);
    if (r === undefined) return;
    open.delete(request);
    done.push({ created: r.created, sent: r.sent ?? r.created, answered: performance.now() });
    lastUse = performance.eventLoopUtilization();
  });
  subscribe("undici:request:error", ({ request }) => open.delete(request));

  return () => {
    if (done.length === 0 || firstUse === undefined || lastUse === undefined) return { requests: 0 };
    let first = Infinity;
    let lastAnswer = 0;
    for (const r of done) {
      first = Math.min(first, r.created);
      lastAnswer = Math.max(lastAnswer, r.answered);
    }
    const waits = done.map((r) => r.answered - r.created);
    const toSocket = done.map((r) => r.sent - r.created);
    return {
      requests: done.length,
      firstRequestMs: round(first),
      lastAnswerMs: round(lastAnswer),
      exitMs: round(performance.now()),
      waitMs: spread(waits),
      toSocketMs: spread(toSocket),
      // Requests on the wire on average between the first request and the last answer.
      inFlight: round(sum(waits) / (lastAnswer - first)),
      // The share of that time the thread was running (not waiting in the event loop's poll).
      busy: Math.round(performance.eventLoopUtilization(lastUse, firstUse).utilization * 1000) / 1000,
    };
  };
}

function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => round(sorted[Math.floor(p * (sorted.length - 1))] ?? 0);
  return {
    mean: round(sum(sorted) / sorted.length),
    p10: at(0.1),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
  };
}

function sum(values) {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}
