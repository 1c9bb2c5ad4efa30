/** What the client sent and received, for the "calls made" line and for tests. */
export interface CallStats {
  /** Requests sent per Square operation, retries included. */
  readonly calls: Readonly<Record<string, number>>;
  /** Requests sent in all. */
  readonly total: number;
  /** Requests that repeated an earlier failed attempt. */
  readonly retries: number;
  /** Responses with status 429. */
  readonly rateLimited: number;
  /** Responses with a 5xx status. */
  readonly serverErrors: number;
  /** Attempts that failed without a response (reset, refused, timeout). */
  readonly networkErrors: number;
  /** Request body bytes sent. */
  readonly bytesSent: number;
  /** Response body bytes received. */
  readonly bytesReceived: number;
  /** Highest number of requests in flight at once. */
  readonly peakConcurrency: number;
  /** The adaptive concurrency limit now. */
  readonly concurrencyLimit: number;
  /** Requests/s that starts are paced to since the first 429 (undefined: not paced). */
  readonly pacedRate: number | undefined;
}

/** The counters the client keeps itself (the others it reads from its limiter). */
export function emptyCounters() {
  return {
    calls: {} as Record<string, number>,
    total: 0,
    retries: 0,
    rateLimited: 0,
    serverErrors: 0,
    networkErrors: 0,
    bytesSent: 0,
    bytesReceived: 0,
  };
}
