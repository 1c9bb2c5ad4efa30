// The benchmark's emulator, in a worker thread of the bench's process: its own V8 heap holds
// only the emulator's store, not the bench's workloads (a million generated profiles, the
// baseline's data), so its garbage collections have less to mark and stall the requests it is
// answering less; its event loop runs on its own thread. `process.cpuUsage()` of the bench
// process still counts its CPU time (it counts every thread).
import { once } from "node:events";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

/**
 * Starts an emulator (`startEmulator(options)`) in a worker thread; `options` (the seed
 * included) are copied into it. Returns `{ url, stats(), stop() }`; `stats` is async. With
 * `trace`, the stats also hold `held: { count, totalMs }`: how long the emulator held the
 * requests it answered, from their arrival to the end of their answer (Node's `http.server`
 * diagnostics channels), its latency included.
 */
export async function startEmulatorThread(options, { trace = false } = {}) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { options, trace } });
  const pending = new Map();
  let failure;
  worker.on("error", (error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  });
  const [ready] = await Promise.race([
    once(worker, "message"),
    once(worker, "error").then(([error]) => Promise.reject(error)),
  ]);
  worker.on("message", ({ id, value }) => {
    pending.get(id)?.resolve(value);
    pending.delete(id);
  });
  let next = 0;
  const ask = (type) => {
    if (failure !== undefined) return Promise.reject(failure);
    const id = ++next;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, type });
    });
  };
  return {
    url: ready.url,
    stats: () => ask("stats"),
    async stop() {
      await ask("stop");
      await worker.terminate();
    },
  };
}

if (!isMainThread && workerData !== undefined) {
  const { startEmulator } = await import("@groupsync/square-emulator");
  const held = workerData.trace ? await holdTimes() : undefined;
  const emulator = await startEmulator(workerData.options);
  parentPort.on("message", async ({ id, type }) => {
    const value =
      type === "stats"
        ? { ...emulator.stats(), ...(held === undefined ? {} : { held: { ...held } }) }
        : await emulator.stop();
    parentPort.postMessage({ id, value });
  });
  parentPort.postMessage({ url: emulator.url });
}

/** Counts the requests this thread's HTTP servers answer and the time each one was held. */
async function holdTimes() {
  const { subscribe } = await import("node:diagnostics_channel");
  const arrived = new WeakMap();
  const held = { count: 0, totalMs: 0 };
  subscribe("http.server.request.start", ({ request }) => arrived.set(request, performance.now()));
  subscribe("http.server.response.finish", ({ request }) => {
    const at = arrived.get(request);
    if (at === undefined) return;
    held.count++;
    held.totalMs += performance.now() - at;
  });
  return held;
}
