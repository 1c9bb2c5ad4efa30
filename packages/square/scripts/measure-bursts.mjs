// The client under a rate limit that comes and goes (5 requests/s for every other 500 ms, as in
// test/resilience/faults.test.ts): time and 429s for 700 requests from 64 callers.
// Usage: node packages/square/scripts/measure-bursts.mjs
import console from "node:console";
import { performance } from "node:perf_hooks";
import { clearInterval, setInterval } from "node:timers";
import { startEmulator } from "@groupsync/square-emulator";
import { createSquareClient, retrieveGroup } from "../dist/index.js";

const emulator = await startEmulator({ latencyMs: { min: 1, max: 20 }, randomSeed: 1 });
const group = emulator.store.addGroup("Measured");
let tick = 0;
// Limited from the first request on, so the requests cannot finish before the limit is set.
emulator.configure({ rateLimit: 5 });
const timer = setInterval(() => {
  tick++;
  emulator.configure({ rateLimit: tick % 2 === 0 ? 5 : undefined });
}, 500);
const client = createSquareClient({ token: emulator.token, baseUrl: emulator.url });
const started = performance.now();
let begun = 0;
const worker = async () => {
  while (begun < 700) {
    begun++;
    await retrieveGroup(client, group.id);
  }
};
await Promise.all(Array.from({ length: 64 }, worker));
clearInterval(timer);
const stats = client.stats();
console.log(
  JSON.stringify({
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    requests: stats.total,
    rateLimited: stats.rateLimited,
    share429: Number((stats.rateLimited / stats.total).toFixed(3)),
    pacedRate: stats.pacedRate,
  }),
);
await client.close();
await emulator.stop();
