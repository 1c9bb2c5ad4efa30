// Measures how the client settles under an emulator rate limit (DESIGN.md §6, issue 6 target:
// >= 90% of the limit achieved, 429s under 2% of calls).
// Usage: node packages/square/scripts/measure-rate-limit.mjs [limit=20] [latencyMs=50] [seconds=15]
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { startEmulator } from "@groupsync/square-emulator";
import { createSquareClient, retrieveGroup } from "../dist/index.js";

const [limit = 20, latency = 50, seconds = 15] = process.argv.slice(2).map(Number);
const emulator = await startEmulator({ rateLimit: limit, latencyMs: latency, randomSeed: 1 });
const group = emulator.store.addGroup("Measured");
const client = createSquareClient({ token: emulator.token, baseUrl: emulator.url });
const started = performance.now();
let done = 0;
const worker = async () => {
  while (performance.now() - started < seconds * 1000) {
    await retrieveGroup(client, group.id);
    done++;
  }
};
await Promise.all(Array.from({ length: 64 }, worker));
const elapsed = (performance.now() - started) / 1000;
const stats = client.stats();
console.log(
  JSON.stringify({
    limit,
    latencyMs: latency,
    seconds: Number(elapsed.toFixed(1)),
    achievedPerSecond: Number((done / elapsed).toFixed(2)),
    shareOfLimit: Number((done / elapsed / limit).toFixed(3)),
    requests: stats.total,
    rateLimited: stats.rateLimited,
    share429: Number((stats.rateLimited / stats.total).toFixed(4)),
    finalConcurrency: stats.concurrencyLimit,
  }),
);
await client.close();
await emulator.stop();
