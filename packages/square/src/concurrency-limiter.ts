/** The longest a 429 holds every start (a longer Retry-After still holds the retried request). */
const HOLD_MAX_MS = 2000;

/** Options of the adaptive limiter. Defaults in brackets. */
export interface ConcurrencyOptions {
  /** Requests in flight at the start [8]. */
  readonly initial?: number;
  /** Upper bound of requests in flight [32]. */
  readonly max?: number;
  /** Lower bound of requests in flight [1]. */
  readonly min?: number;
  /** Clock in ms [performance.now]. */
  readonly now?: () => number;
  /** Waits between paced request starts [setTimeout]. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Adaptive limits on requests, cut on 429 and grown on success (AIMD, as TCP does with its
 * congestion window):
 * - **Concurrency**: slow start (+1/2 per success: x1.5 per round trip) until the first 429,
 *   then +1/limit per success (about +1 per round trip); halved on a 429. 429s of requests that were already in
 *   flight when the limit was cut count as one cut, so one overload does not collapse it.
 * - **Pacing**: from the first 429 on, request starts are spaced to a rate: 80% of the
 *   successes of the last second at each cut (no pacing while fewer than 5 succeeded), growing by max(0.5, 2% of the rate) requests/s
 *   per second. A rate limit worth one connection or less (20 requests/s at 50 ms latency)
 *   cannot be held by concurrency alone: 1 is too little and 2 too much.
 * - **Hold**: a 429 that cuts the limits holds every start (queued callers included) for its
 *   Retry-After (at most 2 s), else for one interval of the new rate.
 */
export class ConcurrencyLimiter {
  #limit: number;
  readonly #min: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #inFlight = 0;
  #epoch = 0;
  #peak = 0;
  #slowStart = true;
  #rate: number | undefined;
  #nextStart = 0;
  #queue: Array<() => void> = [];
  #head = 0;
  #successes: number[] = [];
  #successHead = 0;

  constructor(options: ConcurrencyOptions = {}) {
    this.#max = Math.max(1, Math.floor(options.max ?? 32));
    this.#min = Math.min(this.#max, Math.max(1, Math.floor(options.min ?? 1)));
    this.#limit = Math.min(this.#max, Math.max(this.#min, options.initial ?? Math.min(8, this.#max)));
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The current limit on requests in flight (rounded down). */
  get limit(): number {
    return Math.floor(this.#limit);
  }

  /** Requests per second starts are paced to; undefined before the first 429. */
  get rate(): number | undefined {
    return this.#rate;
  }

  /** The highest number of requests that were in flight together. */
  get peak(): number {
    return this.#peak;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Waits for a slot (and, when pacing, for the slot's start time); returns the epoch for `release`. */
  async acquire(): Promise<number> {
    while (this.#inFlight >= Math.floor(this.#limit)) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    }
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    const epoch = this.#epoch;
    // Starts are claimed when due, not booked ahead: a cut applies at once to everyone waiting.
    for (;;) {
      const now = this.#now();
      if (now >= this.#nextStart) {
        if (this.#rate !== undefined) this.#nextStart = now + 1000 / this.#rate;
        break;
      }
      await this.#sleep(this.#nextStart - now);
    }
    return epoch;
  }

  /**
   * Frees a slot. `success` grows the limits, `overload` (a 429) cuts them, `neutral` keeps them.
   * `retryAfterMs` (a 429's Retry-After) holds every start, not only the retried request's.
   */
  release(epoch: number, outcome: "success" | "overload" | "neutral", retryAfterMs?: number): void {
    this.#inFlight--;
    if (outcome === "success") {
      this.#limit = Math.min(this.#max, this.#limit + (this.#slowStart ? 0.5 : 1 / this.#limit));
      this.#recordSuccess();
      if (this.#rate !== undefined) this.#rate += Math.max(0.5, this.#rate * 0.02) / this.#rate;
    } else if (outcome === "overload" && epoch === this.#epoch) {
      this.#slowStart = false;
      this.#limit = Math.max(this.#min, this.#limit / 2);
      const observed = this.#observedRate();
      if (observed !== undefined) this.#rate = Math.max(1, 0.8 * Math.min(this.#rate ?? Infinity, observed));
      this.#epoch++;
      // The bucket is empty now: no start (of any caller) until it has refilled for a while.
      const hold = retryAfterMs ?? (this.#rate === undefined ? 0 : 1000 / this.#rate);
      this.#nextStart = Math.max(this.#nextStart, this.#now() + Math.min(HOLD_MAX_MS, hold));
    }
    this.#wake();
  }

  #recordSuccess(): void {
    this.#successes.push(this.#now());
    if (this.#successHead > 1024 && this.#successHead * 2 > this.#successes.length) {
      this.#successes = this.#successes.slice(this.#successHead);
      this.#successHead = 0;
    }
  }

  /**
   * Successes in the last second; undefined with too few to tell (a 429 right at the start).
   * Right after the start this counts a token bucket's burst plus its refill, never less than
   * the sustainable rate.
   */
  #observedRate(): number | undefined {
    const since = this.#now() - 1000;
    while (this.#successHead < this.#successes.length && (this.#successes[this.#successHead] ?? 0) < since) {
      this.#successHead++;
    }
    const count = this.#successes.length - this.#successHead;
    return count < 5 ? undefined : count;
  }

  #wake(): void {
    let free = Math.floor(this.#limit) - this.#inFlight;
    while (free > 0 && this.#head < this.#queue.length) {
      const next = this.#queue[this.#head];
      this.#head++;
      next?.();
      free--;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
