// What the benchmark's yardstick allows at best: a bare client (node:http, keep-alive, no
// retries, no parsing beyond the cursor) that does nothing but send groupsync's kinds of request
// to the bench's emulator (worker thread, 50 ms latency), `--concurrency` in flight at every
// moment. Its time per call, against the latency, is the share of the "ideal" (calls x latency
// / concurrency) that the emulator and the machine take whatever the client does.
//
//   node bench/harness-floor.mjs [--size M] [--calls 2000] [--concurrency 32] [--latency 50]
import { Agent, request } from "node:http";
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { parseArgs } from "node:util";
import { startEmulatorThread } from "./emulator-thread.mjs";
import { SIZES, buildWorkload } from "./workload.mjs";

const USAGE = `usage: node bench/harness-floor.mjs [--size M] [--calls 2000] [--concurrency 32] [--latency 50]

A bare node:http client sending groupsync's kinds of request to the bench's emulator: its time
per call against the latency is the share of the ideal that the emulator and the machine take.`;

const { values } = parseArgs({
  options: {
    help: { type: "boolean", default: false },
    size: { type: "string", default: "M" },
    calls: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
    latency: { type: "string", default: "50" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);
const calls = Number(values.calls);
const TOKEN = "bench-token-not-a-secret";

const workload = buildWorkload({ ...SIZES[values.size.toUpperCase()], drift: 0 });
const groupIds = workload.seed.groups.map((g) => g.id);
const emails = workload.desired.flatMap((g) => g.rules.filter((r) => r.kind === "email").map((r) => r.value));
const emulator = await startEmulatorThread({ token: TOKEN, seed: workload.seed, latencyMs });
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const { hostname, port } = new URL(emulator.url);

function post(path, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      {
        agent,
        hostname,
        port,
        path,
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** `calls` requests, `concurrency` in flight; `next(worker)` sends one and returns when answered. */
async function measure(name, next) {
  let left = calls;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (left-- > 0) await next(worker);
    }),
  );
  const ms = performance.now() - t0;
  const perCall = (ms * concurrency) / calls;
  console.log(
    `${name.padEnd(44)} ${String(calls).padStart(6)} calls  ${(ms / 1000).toFixed(2)} s  ` +
      `${perCall.toFixed(1)} ms per call and slot  ${(perCall / latencyMs).toFixed(2)}x the latency`,
  );
}

// Warm up connections and JIT.
await Promise.all(Array.from({ length: concurrency }, () => post("/v2/customers/search", { limit: 1 })));

// Group pages by cursor, as the reader reads them: each worker pages through groups in turn.
const cursors = new Array(concurrency);
const groupOf = Array.from({ length: concurrency }, (_, w) => w % groupIds.length);
await measure(`SearchCustomers group pages of 100 (${values.size})`, async (w) => {
  const body = {
    limit: 100,
    query: {
      filter: { group_ids: { any: [groupIds[groupOf[w]]] } },
      sort: { field: "CREATED_AT", order: "ASC" },
    },
    ...(cursors[w] === undefined ? { count: true } : { cursor: cursors[w] }),
  };
  const text = await post("/v2/customers/search", body);
  cursors[w] = /"cursor":"([^"]+)"/.exec(text)?.[1];
  if (cursors[w] === undefined) groupOf[w] = (groupOf[w] + concurrency) % groupIds.length;
});
let i = 0;
await measure(`SearchCustomers email_address.exact (${values.size})`, () =>
  post("/v2/customers/search", {
    limit: 100,
    query: { filter: { email_address: { exact: emails[i++ % emails.length] } } },
  }),
);
agent.destroy();
await emulator.stop();
process.exit(0);
