// Throughput of the emulator holding 1,000,000 profiles (issue 3). Run after a build:
//   node --max-old-space-size=6144 apps/square-emulator/bench/throughput.mjs [--customers N] [--seconds S]
// Client and server share this process (and the machine's cores), so the figures are a floor.
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { generateSeed, startEmulator } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    groups: { type: "string", default: "50" },
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "16" },
  },
});
const customers = Number(values.customers);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const mb = (n) => `${Math.round(n / 1024 / 1024)} MB`;

let t = performance.now();
const seed = generateSeed({ customers, groups: Number(values.groups), seed: 42 });
const generateMs = performance.now() - t;
t = performance.now();
const em = await startEmulator({ seed, token: "bench" });
const loadMs = performance.now() - t;
const ids = seed.customers.map((c) => c.id);
const emails = seed.customers.flatMap((c) => (c.email_address ? [c.email_address] : []));
const groupSizes = new Map();
for (const c of seed.customers)
  for (const g of c.group_ids ?? []) groupSizes.set(g, (groupSizes.get(g) ?? 0) + 1);
const [bigGroup, bigSize] = [...groupSizes.entries()].sort((a, b) => b[1] - a[1])[0];
const smallGroup = seed.groups[seed.groups.length - 1].id;
seed.customers.length = 0; // the emulator holds its own references; let the array go
global.gc?.();
const memory = process.memoryUsage();

const pool = new Pool(em.url, { connections: concurrency, pipelining: 1 });
const headers = { authorization: "Bearer bench", "content-type": "application/json" };
let rnd = 12345;
const random = (n) => {
  rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0;
  return rnd % n;
};

async function measure(name, makeRequest) {
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const latencies = [];
  async function worker() {
    const state = {};
    while (performance.now() < until) {
      const started = performance.now();
      const { path, method, body, after } = makeRequest(state);
      const res = await pool.request({
        path,
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
      const json = await res.body.json();
      if (res.statusCode !== 200) failed++;
      else after?.(json, state);
      latencies.push(performance.now() - started);
      done++;
    }
  }
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q) => latencies[Math.floor(q * (latencies.length - 1))].toFixed(1);
  console.log(`| ${name} | ${Math.round(done / elapsed)} | ${p(0.5)} | ${p(0.99)} | ${failed} |`);
}

console.log(`customers: ${customers}, groups: ${values.groups}, largest group: ${bigSize} members`);
console.log(`generate: ${(generateMs / 1000).toFixed(1)} s, load + index: ${(loadMs / 1000).toFixed(1)} s`);
console.log(`memory after load: heapUsed ${mb(memory.heapUsed)}, rss ${mb(memory.rss)}`);
console.log(`concurrency ${concurrency}, ${seconds} s per scenario\n`);
console.log("| scenario | requests/s | p50 ms | p99 ms | non-200 |");
console.log("|---|---|---|---|---|");

await measure(
  `SearchCustomers group_ids.any (largest group, ${bigSize}), CREATED_AT, pages of 100 via cursor`,
  (s) => ({
    path: "/v2/customers/search",
    method: "POST",
    body: {
      limit: 100,
      ...(s.cursor ? { cursor: s.cursor } : {}),
      query: { filter: { group_ids: { any: [bigGroup] } }, sort: { field: "CREATED_AT", order: "ASC" } },
    },
    after: (json, st) => {
      st.cursor = json.cursor;
    },
  }),
);
await measure("SearchCustomers group_ids.any (smallest group), DEFAULT sort, pages of 100", (s) => ({
  path: "/v2/customers/search",
  method: "POST",
  body: {
    limit: 100,
    ...(s.cursor ? { cursor: s.cursor } : {}),
    query: { filter: { group_ids: { any: [smallGroup] } } },
  },
  after: (json, st) => {
    st.cursor = json.cursor;
  },
}));
await measure("SearchCustomers email_address.exact (random profile)", () => ({
  path: "/v2/customers/search",
  method: "POST",
  body: { query: { filter: { email_address: { exact: emails[random(emails.length)] } } } },
}));
await measure("BulkRetrieveCustomers (100 random IDs)", () => ({
  path: "/v2/customers/bulk-retrieve",
  method: "POST",
  body: { customer_ids: Array.from({ length: 100 }, () => ids[random(ids.length)]) },
}));
await measure("AddGroupToCustomer (random profile, largest group)", () => ({
  path: `/v2/customers/${ids[random(ids.length)]}/groups/${bigGroup}`,
  method: "PUT",
}));
await measure("ListCustomerGroups", () => ({ path: "/v2/customers/groups", method: "GET" }));

const after = process.memoryUsage();
console.log(`\nmemory at the end: heapUsed ${mb(after.heapUsed)}, rss ${mb(after.rss)}`);
await pool.close();
await em.stop();
