/** How the client retries (DESIGN.md §6). Every field is optional; defaults in brackets. */
export interface RetryOptions {
  /** Attempts per request, the first one included [8]. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff in ms: attempt n waits up to base * 2^(n-1) [200]. */
  readonly baseDelayMs?: number;
  /**
   * Cap of one backoff wait in ms [20_000]. A `Retry-After` is honoured as sent, as long as it
   * fits in what is left of `maxElapsedMs`.
   */
  readonly maxDelayMs?: number;
  /** Bound on the time one request may spend, waits included, in ms [120_000]. */
  readonly maxElapsedMs?: number;
}

export interface ResolvedRetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxElapsedMs: number;
}

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? 8),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? 200),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? 20_000),
    maxElapsedMs: Math.max(0, options.maxElapsedMs ?? 120_000),
  };
}

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform
 * wait in [0, min(cap, base * 2^(attempt-1))]. `attempt` is the number of the failed attempt.
 */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns ms, or undefined
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * undici / Node error codes of a connection that failed before a complete answer: the request
 * may or may not have reached Square, so only requests that are safe to repeat may be retried.
 * Every request groupsync sends is (reads; PUT/DELETE of memberships; creates with an
 * idempotency key).
 */
const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

export function isRetryableNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_NETWORK_CODES.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/** 429 (rate limited) and every 5xx may succeed later; no other status is retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}
