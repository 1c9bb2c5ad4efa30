import { setMaxListeners } from "node:events";
import { Pool, type Dispatcher } from "undici";
import { abortableSleep } from "./abortable-sleep.js";
import { checkBaseUrl, SQUARE_BASE_URLS, type SquareEnvironment } from "./base-url.js";
import { emptyCounters, type CallStats } from "./call-stats.js";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";
import {
  SquareAbortedError,
  SquareClosedError,
  SquareError,
  SquareNetworkError,
  SquareOptionsError,
  SquareTimeoutError,
  type SquareOperation,
} from "./errors.js";
import { createRedactor, redactCause } from "./redact.js";
import {
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  resolveRetryOptions,
  type RetryOptions,
} from "./retry-policy.js";
import { apiError, describeNetworkError, parseErrors, parseSuccess } from "./square-answer.js";
import { queryString, type SquareRequest } from "./square-request.js";

/** The one Square API version groupsync speaks (the release of the OpenAPI file it follows). */
export const SQUARE_VERSION = "2025-08-20";

/** Options of `createSquareClient`. */
export interface SquareClientOptions {
  /** The access token of the seller account. Never logged, never put in an error. */
  readonly token: string;
  /** Which Square to talk to ["production"]; ignored when `baseUrl` is given. */
  readonly environment?: SquareEnvironment;
  /** Any other endpoint (an emulator, a proxy). Plain `http:` only for loopback hosts. */
  readonly baseUrl?: string;
  /** undici dispatcher to send through [a keep-alive Pool for the base URL's origin]. */
  readonly dispatcher?: Dispatcher;
  /** Upper bound of requests in flight [32]. */
  readonly maxConcurrency?: number;
  /** Requests in flight at the start, adapted by AIMD between 1 and maxConcurrency [maxConcurrency]. */
  readonly initialConcurrency?: number;
  /** Retry policy for 429, 5xx and connection errors (see RetryOptions for defaults). */
  readonly retry?: RetryOptions;
  /**
   * Time one attempt may take until its answer is complete, in ms [30_000]. An attempt that
   * times out is retried like a reset connection; after the last, a SquareTimeoutError.
   */
  readonly requestTimeoutMs?: number;
  /**
   * Stops the client when aborted: no request is sent (or retried) from then on, `send` rejects
   * with SquareAbortedError, and requests in flight get `abortGraceMs` to answer before they are
   * abandoned. The client never installs signal handlers: the caller owns the signal.
   */
  readonly signal?: AbortSignal;
  /** How long requests in flight may still answer after `signal` aborted, in ms [5_000]. */
  readonly abortGraceMs?: number;
  /** Receives one line per request sent (method, path, status, ms); no token, no body. */
  readonly logger?: (line: string) => void;
  /** Clock in ms [Date.now]. */
  readonly now?: () => number;
  /** Waits between retries [setTimeout]; `signal` aborts the wait (it may also be ignored). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random numbers in [0, 1) for jitter [Math.random]. */
  readonly random?: () => number;
}

/** The request in flight the longest (`SquareClient.waiting`): what a "waiting for Square" line names. */
export interface WaitingRequest {
  readonly operation: SquareOperation;
  readonly method: SquareRequest["method"];
  /** Path without the query. */
  readonly path: string;
  /** How long this attempt has been waiting for its answer, in ms. */
  readonly waitingMs: number;
  /** Which attempt it is (1 the first). */
  readonly attempt: number;
  /** Increases with every attempt sent: tells one wait from the next. */
  readonly serial: number;
}

/** A Square client: authenticated, versioned, retrying, rate-adaptive, counting. */
export interface SquareClient {
  /** The base URL requests go to (no trailing slash). */
  readonly baseUrl: string;
  /** Sends one request (with retries) and returns the parsed JSON body. Throws a SquareError. */
  send<T>(request: SquareRequest): Promise<T>;
  /** Counters since creation (or the last `resetStats`). */
  stats(): CallStats;
  /** The request in flight the longest, or undefined when none is. */
  waiting(): WaitingRequest | undefined;
  resetStats(): void;
  /** Closes the connections (only those of the client's own Pool). */
  close(): Promise<void>;
}

/** Creates a client. Throws SquareOptionsError for options it cannot work with. */
export function createSquareClient(options: SquareClientOptions): SquareClient {
  if (typeof options.token !== "string" || options.token.trim() === "") {
    throw new SquareOptionsError(
      "No Square access token was given",
      "Give the client an access token of the seller account.",
    );
  }
  const token = options.token.trim();
  const redact = createRedactor(token);
  const base = resolveBaseUrl(options);
  const retry = resolveRetryOptions(options.retry);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const timeout = options.requestTimeoutMs ?? 30_000;
  const signal = options.signal;
  const graceMs = options.abortGraceMs ?? 5_000;
  const maxConcurrency = Math.max(1, Math.floor(options.maxConcurrency ?? 32));
  const limiter = new ConcurrencyLimiter({
    max: maxConcurrency,
    initial: Math.min(maxConcurrency, options.initialConcurrency ?? maxConcurrency),
  });
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Pool(base.origin, {
      connections: connectionsFor(maxConcurrency),
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
    });
  const log = options.logger;
  const prefix = base.pathname.replace(/\/+$/, "");
  let closed = false;
  let counters = emptyCounters();
  /** Attempts in flight, oldest first (a Set keeps insertion order). */
  const inFlight = new Set<InFlight>();
  let serial = 0;
  let abandonTimer: ReturnType<typeof setTimeout> | undefined;
  // One listener on the caller's signal; the waits between retries listen to this one (as many
  // as there are requests waiting to be retried: no listener limit).
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal);
  const onAbort = () => {
    stopping.abort();
    limiter.stop(STOPPED);
    abandonTimer = setTimeout(() => {
      for (const request of inFlight) request.controller.abort(ABANDONED);
    }, graceMs);
    abandonTimer.unref?.();
  };
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });

  async function attempt(request: SquareRequest, path: string, body: string | undefined, tries: number) {
    counters.calls[request.operation] = (counters.calls[request.operation] ?? 0) + 1;
    counters.total++;
    if (body !== undefined) counters.bytesSent += Buffer.byteLength(body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      "square-version": SQUARE_VERSION,
      accept: "application/json",
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    // undici's own header/body timeouts tick in whole seconds; an abort signal is exact.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeout);
    const tracked: InFlight = {
      operation: request.operation,
      method: request.method,
      path: prefix + request.path,
      startedAt: now(),
      attempt: tries,
      serial: ++serial,
      controller,
    };
    inFlight.add(tracked);
    try {
      const response = await dispatcher.request({
        origin: base.origin,
        path,
        method: request.method,
        headers,
        body: body ?? null,
        signal: controller.signal,
        // Above the timeout: the abort signal decides, whatever the dispatcher's defaults.
        headersTimeout: timeout + 1000,
        bodyTimeout: timeout + 1000,
      });
      const bytes = Buffer.from(await response.body.arrayBuffer());
      counters.bytesReceived += bytes.byteLength;
      return { status: response.statusCode, headers: response.headers, text: bytes.toString("utf8") };
    } catch (error) {
      if (controller.signal.reason === ABANDONED) throw new SquareAbortedError(request.operation, true);
      if (controller.signal.reason === TIMED_OUT) {
        throw Object.assign(new Error(`no complete answer within ${timeout} ms`), {
          code: "ETIMEDOUT",
          timedOut: true,
          cause: error,
        });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      inFlight.delete(tracked);
    }
  }

  async function send<T>(request: SquareRequest): Promise<T> {
    if (closed) throw new SquareClosedError(request.operation);
    const path = prefix + request.path + queryString(request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const started = now();
    for (let attempts = 1; ; attempts++) {
      if (stopping.signal.aborted) throw new SquareAbortedError(request.operation, false);
      let epoch: number;
      try {
        epoch = await limiter.acquire(request.priority);
      } catch (error) {
        if (error === STOPPED) throw new SquareAbortedError(request.operation, false);
        throw error;
      }
      const sentAt = now();
      let failure: { error: SquareError; retryable: boolean; retryAfterMs?: number };
      try {
        const response = await attempt(request, path, body, attempts);
        log?.(`${request.method} ${path} ${response.status} ${now() - sentAt}ms`);
        if (response.status >= 200 && response.status < 300) {
          limiter.release(epoch, "success");
          return parseSuccess<T>(request.operation, response.status, response.text, redact);
        }
        const errors = parseErrors(response.text, redact);
        if (response.status === 429) counters.rateLimited++;
        if (response.status >= 500) counters.serverErrors++;
        const retryAfterMs =
          response.status === 429 || response.status === 503
            ? parseRetryAfter(response.headers["retry-after"], now())
            : undefined;
        if (response.status === 429) limiter.release(epoch, "overload", retryAfterMs);
        else limiter.release(epoch, "neutral");
        failure = {
          error: apiError(request.operation, response.status, errors, attempts),
          retryable: isRetryableStatus(response.status),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      } catch (error) {
        limiter.release(epoch, "neutral");
        if (error instanceof SquareError) throw error;
        counters.networkErrors++;
        const reason = describeNetworkError(error);
        log?.(`${request.method} ${path} failed: ${redact(reason)} ${now() - sentAt}ms`);
        const cause = redactCause(error, redact);
        failure = {
          error:
            (error as { timedOut?: unknown }).timedOut === true
              ? new SquareTimeoutError(
                  {
                    operation: request.operation,
                    method: request.method,
                    path: prefix + request.path,
                    attempts,
                    timeoutMs: timeout,
                  },
                  cause,
                )
              : new SquareNetworkError(request.operation, attempts, redact(reason), cause),
          retryable: isRetryableNetworkError(error),
        };
      }
      if (!failure.retryable || attempts >= retry.maxAttempts) throw failure.error;
      const delay = failure.retryAfterMs ?? backoffDelay(attempts, retry, random);
      if (now() - started + delay > retry.maxElapsedMs) throw failure.error;
      if (stopping.signal.aborted) throw new SquareAbortedError(request.operation, false, failure.error);
      counters.retries++;
      await sleepUnlessAborted(delay);
      if (closed) throw new SquareClosedError(request.operation);
    }
  }

  /** The backoff wait, cut short when `signal` aborts (the loop then stops). */
  async function sleepUnlessAborted(ms: number): Promise<void> {
    if (signal === undefined) return sleep(ms);
    const stopped = stopping.signal;
    if (stopped.aborted) return;
    let wake: () => void = () => {};
    const aborted = new Promise<void>((resolve) => {
      wake = resolve;
      stopped.addEventListener("abort", wake, { once: true });
    });
    try {
      await Promise.race([sleep(ms, stopped), aborted]);
    } finally {
      stopped.removeEventListener("abort", wake);
    }
  }

  function waiting(): WaitingRequest | undefined {
    for (const request of inFlight) {
      return {
        operation: request.operation,
        method: request.method,
        path: request.path,
        waitingMs: now() - request.startedAt,
        attempt: request.attempt,
        serial: request.serial,
      };
    }
    return undefined;
  }

  return {
    baseUrl: base.href.replace(/\/+$/, ""),
    send,
    stats: () => ({
      ...counters,
      calls: { ...counters.calls },
      peakConcurrency: limiter.peak,
      concurrencyLimit: limiter.limit,
      pacedRate: limiter.rate === undefined ? undefined : Math.round(limiter.rate * 100) / 100,
    }),
    waiting,
    resetStats: () => {
      counters = emptyCounters();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      signal?.removeEventListener("abort", onAbort);
      if (abandonTimer !== undefined) clearTimeout(abandonTimer);
      // Requests abandoned in flight: their sockets are destroyed rather than waited for.
      if (ownDispatcher) await (signal?.aborted === true ? dispatcher.destroy() : dispatcher.close());
    },
  };
}

/** Abort reasons of one attempt: its timeout, or the client's signal after the grace period. */
const TIMED_OUT = Symbol("timed out");
const ABANDONED = Symbol("abandoned");
/** What the limiter rejects waiting requests with once the signal aborted. */
const STOPPED = Symbol("stopped");

interface InFlight {
  readonly operation: SquareOperation;
  readonly method: SquareRequest["method"];
  readonly path: string;
  readonly startedAt: number;
  readonly attempt: number;
  readonly serial: number;
  readonly controller: AbortController;
}

/**
 * Connections the client's own Pool may open for `maxConcurrency` requests in flight: a quarter
 * more, because undici frees a socket only an event-loop turn after its answer, and the request
 * sent in reply to that answer would otherwise wait for the turn (README, "Connections").
 */
function connectionsFor(maxConcurrency: number): number {
  return maxConcurrency + Math.ceil(maxConcurrency / 4);
}

function resolveBaseUrl(options: SquareClientOptions): URL {
  const environment = options.environment ?? "production";
  if (options.baseUrl === undefined && !(environment in SQUARE_BASE_URLS)) {
    throw new SquareOptionsError(
      `Unknown Square environment "${String(environment)}"`,
      'Use "production" or "sandbox", or give a baseUrl.',
    );
  }
  const checked = checkBaseUrl(options.baseUrl ?? SQUARE_BASE_URLS[environment]);
  if (!checked.ok) {
    throw new SquareOptionsError(`The Square base URL ${checked.reason}`, checked.hint, checked.code);
  }
  return checked.url;
}
