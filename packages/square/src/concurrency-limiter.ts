/** Options of the adaptive concurrency limit (AIMD). */
export interface ConcurrencyOptions {
  /** Requests in flight at the start [8]. */
  readonly initial?: number;
  /** Upper bound [32]. */
  readonly max?: number;
  /** Lower bound [1]. */
  readonly min?: number;
}

/**
 * Additive-increase / multiplicative-decrease limit on requests in flight, as TCP does with its
 * window: +1/limit per success (about +1 per round of `limit` requests), halved on a 429. A burst
 * of 429s from requests that were already in flight when the limit was cut counts as one cut,
 * so one overload does not collapse the limit to its minimum.
 */
export class ConcurrencyLimiter {
  #limit: number;
  readonly #min: number;
  readonly #max: number;
  #inFlight = 0;
  #epoch = 0;
  #peak = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(options: ConcurrencyOptions = {}) {
    this.#max = Math.max(1, Math.floor(options.max ?? 32));
    this.#min = Math.min(this.#max, Math.max(1, Math.floor(options.min ?? 1)));
    this.#limit = Math.min(this.#max, Math.max(this.#min, options.initial ?? Math.min(8, this.#max)));
  }

  /** The current limit (rounded down). */
  get limit(): number {
    return Math.floor(this.#limit);
  }

  /** The highest number of requests that were in flight together. */
  get peak(): number {
    return this.#peak;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Waits for a slot; returns the epoch to pass back to `release`. */
  async acquire(): Promise<number> {
    while (this.#inFlight >= Math.floor(this.#limit)) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    return this.#epoch;
  }

  /** Frees a slot. `outcome`: success grows the limit, overload (429) cuts it, neutral keeps it. */
  release(epoch: number, outcome: "success" | "overload" | "neutral"): void {
    this.#inFlight--;
    if (outcome === "success") {
      this.#limit = Math.min(this.#max, this.#limit + 1 / this.#limit);
    } else if (outcome === "overload" && epoch === this.#epoch) {
      this.#limit = Math.max(this.#min, this.#limit / 2);
      this.#epoch++;
    }
    this.#wake();
  }

  #wake(): void {
    let free = Math.floor(this.#limit) - this.#inFlight;
    while (free > 0 && this.#waiting.length > 0) {
      this.#waiting.shift()?.();
      free--;
    }
  }
}
