import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulatorStore, type EmulatorStore } from "./emulator-store.js";
import { FaultInjector } from "./faults.js";
import { createApiHandler } from "./handle-api.js";
import { createControlHandler } from "./handle-control.js";
import { sendError } from "./http-io.js";
import { IdempotencyStore } from "./idempotency.js";
import { primeJson } from "./json-body.js";
import { createId, createRandom } from "./random.js";
import { primeDefaultKeys } from "./search/default-order.js";
import { SortCache } from "./search/sort-cache.js";
import { readSeedFile, stateFileExists } from "./state-file.js";
import { createStateSaver } from "./state-saver.js";
import { Store } from "./store.js";
import type { EmulatorOptions, EmulatorStats, FaultOptions, SeedData } from "./types.js";

export { DEFAULT_SQUARE_VERSION } from "./serve-operation.js";
export type { EmulatorStore } from "./emulator-store.js";

/** A running emulator (see {@link startEmulator}). */
export interface Emulator {
  /** Base URL, `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  /** Token with CUSTOMERS_READ and CUSTOMERS_WRITE. */
  token: string;
  /** Token with CUSTOMERS_READ only (writes answer 403 INSUFFICIENT_SCOPES). */
  readOnlyToken: string;
  /** Closes the server (and saves the state file when there is one). */
  stop(): Promise<void>;
  /** Counters since start or the last reset. */
  stats(): EmulatorStats;
  /** Zeroes the stats; with `seed`, also replaces all data with it and forgets idempotency keys. */
  reset(seed?: SeedData): void;
  /** Changes fault injection (and search lag) at runtime. */
  configure(partial: Partial<FaultOptions>): void;
  /** Direct access to the data. */
  store: EmulatorStore;
}

function emptyStats(): EmulatorStats {
  return { calls: {}, total: 0, rateLimited: 0, faults: 0, resets: 0 };
}

/**
 * Starts a Square emulator on `host:port` (default 127.0.0.1, any free port). Resolves once
 * it listens. All randomness (IDs, search lag, faults) is drawn from `randomSeed`.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const randomSeed = options.randomSeed ?? 1;
  const random = createRandom(randomSeed);
  const now = (): number => Date.now();
  const faultOptions: FaultOptions = {
    searchLagMs: options.searchLagMs ?? 0,
    latencyMs: options.latencyMs ?? 0,
    faultRate: options.faultRate ?? 0,
    resetRate: options.resetRate ?? 0,
    throttleRate: options.throttleRate ?? 0,
    rateLimit: options.rateLimit,
  };
  const env = { now, random, searchLagMs: faultOptions.searchLagMs };
  const store = new Store(env);
  const faults = new FaultInjector(
    faultOptions,
    { faults: createRandom(randomSeed ^ 0x5bd1e995), throttle: createRandom(randomSeed ^ 0x2545f491) },
    now,
  );
  const idempotency = new IdempotencyStore();
  const token = options.token ?? `EMULATOR-${createId(random)}`;
  const readOnlyToken = options.readOnlyToken ?? `EMULATOR-READONLY-${createId(random)}`;
  let stats = emptyStats();

  // What every search and answer needs of a profile is made as the data is loaded, not while
  // the first requests wait for it (see primeDefaultKeys and primeJson).
  const load = (seed: SeedData): void => {
    store.load(seed);
    primeDefaultKeys(store);
    primeJson(store.customers.values());
  };
  const stateFile = options.stateFile;
  if (stateFile !== undefined && stateFileExists(stateFile)) load(await readSeedFile(stateFile));
  else if (options.seed) load(options.seed);
  const saver = createStateSaver(stateFile, () => store.snapshot());

  const configure = (partial: Partial<FaultOptions>): void => {
    faults.configure(partial);
    if (partial.searchLagMs !== undefined) env.searchLagMs = partial.searchLagMs;
  };
  const handleApi = createApiHandler({
    serve: { token, readOnlyToken, store, idempotency, sortCache: new SortCache() },
    faults,
    stats: () => stats,
    onChange: saver.schedule,
  });
  const handleControl = createControlHandler({
    stats: () => stats,
    resetStats: () => (stats = emptyStats()),
    configure: (partial) => {
      configure(partial);
      return faults.options;
    },
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const handler = url.pathname.startsWith("/_emulator/") ? handleControl : handleApi;
    handler(req, res, url).catch((error: unknown) => {
      // A bug in the emulator: answer 500 like Square would, and say what happened on stderr.
      process.stderr.write(`square-emulator: internal error: ${(error as Error).message}\n`);
      if (!res.headersSent) {
        sendError(res, 500, {
          category: "API_ERROR",
          code: "INTERNAL_SERVER_ERROR",
          detail: "Emulator error.",
        });
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    token,
    readOnlyToken,
    store: createEmulatorStore({
      store,
      random,
      now,
      load,
      setSearchLag: (lag) => configure({ searchLagMs: lag }),
      onChange: saver.schedule,
    }),
    stats: () => structuredClone(stats),
    reset(seed) {
      stats = emptyStats();
      if (seed) {
        load(seed);
        idempotency.clear();
        saver.schedule();
      }
    },
    configure,
    async stop() {
      await saver.flush();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
