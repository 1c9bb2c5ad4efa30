import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, type SquareErrorBody } from "./api-error.js";
import { parseFaultOptions } from "./fault-config.js";
import { FaultInjector } from "./faults.js";
import { IdempotencyStore } from "./idempotency.js";
import { JsonBody, primeJson } from "./json-body.js";
import { matchOperation, type OperationResult } from "./operations.js";
import { createId, createRandom } from "./random.js";
import { primeDefaultKeys, SortCache } from "./search.js";
import { readSeedFile, stateFileExists, writeStateFile } from "./state-file.js";
import { Store, type CustomerFields } from "./store.js";
import type {
  DelaySpec,
  EmulatorOptions,
  EmulatorStats,
  FaultOptions,
  SeedData,
  SquareCustomer,
  SquareCustomerGroup,
} from "./types.js";
import { isObject, type JsonObject } from "./validate.js";

/** The Square-Version the emulator answers with when a request names none. */
export const DEFAULT_SQUARE_VERSION = "2025-08-20";
/** The first Square-Version with the Customer Groups API. */
const GROUPS_MIN_VERSION = "2020-04-22";
/** Largest request body accepted (bytes). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Direct access to the emulator's data, for tests of other packages (no HTTP, no stats).
 * Profiles it returns are the emulator's own: change them through its methods, never in place.
 */
export interface EmulatorStore {
  /** Adds a profile. `id`, `created_at`, `updated_at`, `version` default sensibly; group IDs must exist or not, as you like. */
  addCustomer(
    customer: CustomerFields & Partial<Pick<SquareCustomer, "id" | "created_at" | "group_ids" | "version">>,
  ): SquareCustomer;
  /** Adds a group named `name` (and `id` when given). */
  addGroup(name: string, id?: string): SquareCustomerGroup;
  /** Adds or removes a group on a profile (bumps version as the API does). */
  setMembership(customerId: string, groupId: string, member: boolean): void;
  /** Sparse update of a profile, as UpdateCustomer (`null` clears). */
  updateCustomer(id: string, patch: Record<string, unknown>): SquareCustomer | undefined;
  /** Deletes a profile. */
  deleteCustomer(id: string): boolean;
  /** A profile as Retrieve sees it. */
  getCustomer(id: string): SquareCustomer | undefined;
  /** A profile as search sees it now (undefined: not visible). */
  getSearchVisible(id: string): SquareCustomer | undefined;
  /** All groups, in ListCustomerGroups order. */
  groups(): SquareCustomerGroup[];
  /** The whole current state, in the seed format. */
  snapshot(): SeedData;
  /** Replaces all data (visible to search at once). */
  load(seed: SeedData): void;
  /** Sets the search lag for later changes. */
  setSearchLag(lag: DelaySpec): void;
  /** Makes every pending change visible to search now. */
  flushSearch(): void;
  /** How many changes search does not see yet. */
  pendingSearchChanges(): number;
}

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

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body instanceof JsonBody ? body.bytes : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": typeof text === "string" ? Buffer.byteLength(text) : text.length,
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  error: SquareErrorBody,
  headers?: Record<string, string>,
): void {
  send(res, status, { errors: [error] }, headers);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
  const sortCache = new SortCache();
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

  // State-file saves are coalesced: at most one write in flight, one more queued.
  let saving: Promise<void> | undefined;
  let saveQueued = false;
  let saveTimer: NodeJS.Timeout | undefined;
  const save = async (): Promise<void> => {
    if (stateFile === undefined) return;
    if (saving) {
      saveQueued = true;
      return saving;
    }
    saving = writeStateFile(stateFile, store.snapshot()).finally(() => {
      saving = undefined;
    });
    await saving;
    if (saveQueued) {
      saveQueued = false;
      await save();
    }
  };
  const scheduleSave = (): void => {
    if (stateFile === undefined || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      save().catch((error: unknown) => {
        process.stderr.write(`square-emulator: cannot write the state file: ${(error as Error).message}\n`);
      });
    }, 50);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    stats.total++;
    const method = req.method ?? "GET";
    let match: ReturnType<typeof matchOperation>;
    try {
      match = matchOperation(method, url.pathname);
    } catch {
      match = undefined;
    }
    if (match) stats.calls[match.operation.name] = (stats.calls[match.operation.name] ?? 0) + 1;
    const raw = await readBody(req);

    const latency = faults.latency();
    if (latency > 0) await sleep(latency);
    const decision = faults.decide();
    if (decision.kind === "rate-limited") {
      stats.rateLimited++;
      const headers: Record<string, string> =
        decision.retryAfterSeconds === undefined ? {} : { "retry-after": String(decision.retryAfterSeconds) };
      sendError(
        res,
        429,
        {
          category: "RATE_LIMIT_ERROR",
          code: "RATE_LIMITED",
          detail: "Too many requests: slow down and retry.",
        },
        headers,
      );
      return;
    }
    if (decision.kind === "error") {
      stats.faults++;
      sendError(
        res,
        decision.status,
        decision.status === 500
          ? { category: "API_ERROR", code: "INTERNAL_SERVER_ERROR", detail: "An internal error occurred." }
          : {
              category: "API_ERROR",
              code: "SERVICE_UNAVAILABLE",
              detail: "The service is temporarily unavailable.",
            },
      );
      return;
    }
    if (decision.kind === "reset") {
      stats.resets++;
      if (decision.afterApplying && match) {
        // The request takes effect, but the client never hears so (tests idempotent retries).
        try {
          if (serve(req, url, match, raw).result.changed) scheduleSave();
        } catch {
          // The error would not have been delivered either.
        }
      }
      req.socket.resetAndDestroy();
      return;
    }

    if (!match) {
      sendError(res, 404, {
        category: "INVALID_REQUEST_ERROR",
        code: "NOT_FOUND",
        detail: `API endpoint for URL path \`${url.pathname}\` and HTTP method \`${method}\` is not found.`,
      });
      return;
    }
    try {
      const { result, version } = serve(req, url, match, raw);
      if (result.changed) scheduleSave();
      send(res, result.status ?? 200, result.body, { "square-version": version });
    } catch (error) {
      if (error instanceof ApiError) {
        send(res, error.status, { errors: error.errors }, error.headers);
        return;
      }
      throw error;
    }
  };

  /** Auth, version, body parsing and the handler; throws ApiError. */
  const serve = (
    req: IncomingMessage,
    url: URL,
    match: NonNullable<ReturnType<typeof matchOperation>>,
    raw: Buffer | undefined,
  ): { result: OperationResult; version: string } => {
    const auth = req.headers.authorization;
    if (auth === undefined || auth === "") {
      throw new ApiError(401, {
        category: "AUTHENTICATION_ERROR",
        code: "UNAUTHORIZED",
        detail: "Your request did not include an `Authorization` http header with an access token.",
      });
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
    if (bearer === undefined || (bearer !== token && bearer !== readOnlyToken)) {
      throw new ApiError(401, {
        category: "AUTHENTICATION_ERROR",
        code: "UNAUTHORIZED",
        detail: "This request could not be authorized.",
      });
    }
    if (match.operation.write && bearer !== token) {
      throw new ApiError(403, {
        category: "AUTHENTICATION_ERROR",
        code: "INSUFFICIENT_SCOPES",
        detail:
          "The merchant has not given your application sufficient permissions to do this. CUSTOMERS_WRITE",
      });
    }
    const versionHeader = req.headers["square-version"];
    const version =
      typeof versionHeader === "string" && versionHeader !== "" ? versionHeader : DEFAULT_SQUARE_VERSION;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) {
      throw new ApiError(400, {
        category: "INVALID_REQUEST_ERROR",
        code: "INVALID_SQUARE_VERSION_FORMAT",
        detail: "Square-Version must look like YYYY-MM-DD.",
      });
    }
    if (match.operation.path.includes("/groups") && version < GROUPS_MIN_VERSION) {
      throw new ApiError(400, {
        category: "INVALID_REQUEST_ERROR",
        code: "API_VERSION_INCOMPATIBLE",
        detail: `The Customer Groups API needs Square-Version ${GROUPS_MIN_VERSION} or later.`,
      });
    }
    if (raw === undefined) {
      throw new ApiError(413, {
        category: "INVALID_REQUEST_ERROR",
        code: "REQUEST_ENTITY_TOO_LARGE",
        detail: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
      });
    }
    let body: JsonObject = {};
    const text = raw.toString("utf8");
    if ((match.operation.method === "POST" || match.operation.method === "PUT") && text.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiError(400, {
          category: "INVALID_REQUEST_ERROR",
          code: "BAD_REQUEST",
          detail: "The request body is not valid JSON.",
        });
      }
      if (!isObject(parsed)) {
        throw new ApiError(400, {
          category: "INVALID_REQUEST_ERROR",
          code: "EXPECTED_JSON_BODY",
          detail: "The request body must be a JSON object.",
        });
      }
      body = parsed;
    }
    const result = match.operation.handle({
      params: match.params,
      query: url.searchParams,
      body,
      store,
      idempotency,
      sortCache,
    });
    return { result, version };
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const raw = await readBody(req);
    if (url.pathname === "/_emulator/stats" && req.method === "GET") {
      send(res, 200, stats);
    } else if (url.pathname === "/_emulator/reset" && req.method === "POST") {
      stats = emptyStats();
      send(res, 200, stats);
    } else if (url.pathname === "/_emulator/configure" && req.method === "POST") {
      try {
        let body: unknown;
        try {
          body = JSON.parse(raw?.toString("utf8") || "{}");
        } catch {
          throw new ApiError(400, {
            category: "INVALID_REQUEST_ERROR",
            code: "BAD_REQUEST",
            detail: "Invalid JSON.",
          });
        }
        if (!isObject(body)) {
          throw new ApiError(400, {
            category: "INVALID_REQUEST_ERROR",
            code: "EXPECTED_JSON_BODY",
            detail: "Expected a JSON object.",
          });
        }
        emulator.configure(parseFaultOptions(body));
        send(res, 200, faults.options);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        send(res, error.status, { errors: error.errors });
      }
    } else {
      sendError(res, 404, {
        category: "INVALID_REQUEST_ERROR",
        code: "NOT_FOUND",
        detail: `No emulator control endpoint \`${req.method ?? ""} ${url.pathname}\`.`,
      });
    }
  };

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

  const emulatorStore: EmulatorStore = {
    addCustomer(input) {
      const nowIso = new Date(now()).toISOString();
      const { id, created_at, group_ids, version, ...fields } = input;
      const customer: SquareCustomer = {
        id: id ?? createId(random),
        created_at: created_at ?? nowIso,
        updated_at: created_at ?? nowIso,
        ...fields,
        creation_source: fields.creation_source ?? "THIRD_PARTY",
        version: version ?? 0,
      };
      if (group_ids && group_ids.length > 0) customer.group_ids = [...group_ids];
      store.putCustomer(customer);
      scheduleSave();
      return customer;
    },
    addGroup(name, id) {
      const group = store.createGroup(name, id);
      scheduleSave();
      return group;
    },
    setMembership(customerId, groupId, member) {
      store.setMembership(customerId, groupId, member);
      scheduleSave();
    },
    updateCustomer(id, patch) {
      const result = store.updateCustomer(id, patch);
      scheduleSave();
      return result;
    },
    deleteCustomer(id) {
      const result = store.deleteCustomer(id);
      scheduleSave();
      return result;
    },
    getCustomer: (id) => store.getCustomer(id),
    getSearchVisible(id) {
      store.flushVisible();
      return store.customers.get(id)?.visible;
    },
    groups: () => store.groupList.map((r) => r.group),
    snapshot: () => store.snapshot(),
    load(seed) {
      load(seed);
      scheduleSave();
    },
    setSearchLag(lag) {
      faults.configure({ searchLagMs: lag });
      env.searchLagMs = lag;
    },
    flushSearch: () => store.flushAllVisible(),
    pendingSearchChanges: () => store.pendingCount(),
  };

  const emulator: Emulator = {
    url: `http://${host}:${address.port}`,
    token,
    readOnlyToken,
    store: emulatorStore,
    stats: () => structuredClone(stats),
    reset(seed) {
      stats = emptyStats();
      if (seed) {
        load(seed);
        idempotency.clear();
        scheduleSave();
      }
    },
    configure(partial) {
      faults.configure(partial);
      if (partial.searchLagMs !== undefined) env.searchLagMs = partial.searchLagMs;
    },
    async stop() {
      if (saveTimer) {
        clearTimeout(saveTimer);
        saveTimer = undefined;
        await save();
      } else if (saving) await saving;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return emulator;
}
