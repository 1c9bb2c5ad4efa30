// Calls and wall time of a no-drift readLiveState against the emulator with latency.
// Usage: node packages/square/scripts/measure-read.mjs [groups=50] [membersPerGroup=400] [others=20000] [latencyMs=50]
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { diff } from "@groupsync/core";
import { startEmulator } from "@groupsync/square-emulator";
import { createSquareClient, readLiveState } from "../dist/index.js";

const [groupCount = 50, perGroup = 400, others = 20_000, latency = 50] = process.argv.slice(2).map(Number);
const T0 = Date.parse("2024-01-01T00:00:00Z");
const groups = Array.from({ length: groupCount }, (_, g) => ({
  id: `G${g}`,
  name: `Group ${g}`,
  created_at: new Date(T0).toISOString(),
  updated_at: new Date(T0).toISOString(),
}));
const customers = [];
const add = (fields) => {
  const at = new Date(T0 + customers.length * 1000).toISOString();
  customers.push({ id: `C${customers.length}`, created_at: at, updated_at: at, version: 0, ...fields });
};
for (let g = 0; g < groupCount; g++)
  for (let i = 0; i < perGroup; i++) add({ email_address: `m${g}-${i}@example.com`, group_ids: [`G${g}`] });
for (let i = 0; i < others; i++) add({ email_address: `o${i}@example.com` });
const desired = {
  country: "US",
  unmanagedGroups: "ignore",
  groups: groups.map((g, n) => ({
    key: `g${n}`,
    name: g.name,
    previously: [],
    membership: "authoritative",
    match: "one",
    missing: "skip",
    rules: Array.from({ length: perGroup }, (_, i) => ({ kind: "email", value: `m${n}-${i}@example.com` })),
  })),
};
const emulator = await startEmulator({ seed: { groups, customers }, latencyMs: latency, randomSeed: 1 });
const client = createSquareClient({ token: emulator.token, baseUrl: emulator.url });
const started = performance.now();
const live = await readLiveState(client, desired);
const wallMs = performance.now() - started;
const plan = diff(desired, live);
const stats = client.stats();
const floor = Math.ceil(groupCount / 50) + groupCount * Math.ceil(perGroup / 100);
console.log(
  JSON.stringify({
    groups: groupCount,
    membersPerGroup: perGroup,
    profiles: customers.length,
    latencyMs: latency,
    actions: plan.actions.length,
    calls: stats.calls,
    total: stats.total,
    floor,
    callRatio: Number((stats.total / floor).toFixed(3)),
    wallMs: Math.round(wallMs),
    idealMs: Math.round((stats.total * latency) / 32),
    wallRatio: Number((wallMs / ((stats.total * latency) / 32)).toFixed(2)),
    peakConcurrency: stats.peakConcurrency,
  }),
);
await client.close();
await emulator.stop();
