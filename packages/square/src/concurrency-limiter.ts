/** The longest a 429 holds every start (a longer Retry-After still holds the retried request). */
const HOLD_MAX_MS = 2000;
/** Answers (successes and 429s) the 429 share is judged over. */
const WINDOW = 32;
/** 429s among the last WINDOW answers that mean a limit was reached (25%), not a sporadic refusal. */
const CLUSTER = 8;
/** 429s answered one after another that mean a limit was reached: an exceeded bucket refuses all. */
const RUN = 4;
/** Once paced (a limit was found), this many 429s among the last WINDOW answers mean it again. */
const PACED_CLUSTER = 2;

/** Options of the adaptive limiter. Defaults in brackets. */
export interface ConcurrencyOptions {
  /** Requests in flight at the start, and the size of the probe round [max]. */
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
 * - **Probe round**: the first `initial` starts go out at once; the next start waits until all
 *   of them have answered (or, if one hangs, until twice the first answer's time has passed
 *   since the round's last start). A token bucket
 *   answers a burst's successes and its 429s together: without the wait, the successes would
 *   start a second round before the 429s arrive, and all of it would be refused too.
 * - **A limit reached, or a sporadic 429**: a 429 cuts the limits only when 429s cluster:
 *   {@link CLUSTER} or more among the last {@link WINDOW} answers, or {@link RUN} in a row (a
 *   token bucket that is exceeded refuses nearly everything that comes next); once paced,
 *   {@link PACED_CLUSTER} among the last WINDOW, or any when the rate is within 10% of the
 *   ceiling or above (the limit found before, approached again or overestimated). Any other 429
 *   is sporadic (a busy server, a random refusal: slowing down would not make it rarer, only the
 *   apply slower): that request alone waits its backoff or Retry-After; nothing else is held.
 * - **Concurrency**: slow start when `initial` < `max` (+1/2 per success: x1.5 per round trip) until the first cut,
 *   then +1/limit per success (about +1 per round trip); halved on a cut. 429s of requests that were already in
 *   flight when the limit was cut count as one cut, so one overload does not collapse it.
 * - **Pacing**: from the first cut on, request starts are spaced to a rate: 80% of the
 *   successes of the last second at each cut (no pacing while fewer than 5 succeeded). The
 *   rate grows by max(0.5, 2% of the rate) requests/s per second, but only by max(0.1, 0.5%)
 *   within 10% of the **ceiling**, the rate the last cut happened at: a limit found once is
 *   approached slowly, not run into every few seconds. A rate limit worth one connection or
 *   less (20 requests/s at 50 ms latency) cannot be held by concurrency alone: 1 is too little
 *   and 2 too much.
 * - **Hold**: a 429 that cuts the limits holds every start (queued callers included) for its
 *   Retry-After (at most 2 s), else for one interval of the new rate.
 * - **Stop**: `stop(reason)` rejects every waiting and later `acquire` with `reason` (an abort).
 */
export class ConcurrencyLimiter {
  #limit: number;
  readonly #min: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #inFlight = 0;
  /** Starts left in the probe round; the round is over once it is 0 and its requests answered. */
  #probeLeft: number;
  readonly #probeSize: number;
  #probing: boolean;
  #probeFirstStart = 0;
  #probeLastStart = 0;
  #probeRtt: number | undefined;
  #probeTimer = false;
  #ceiling: number | undefined;
  #epoch = 0;
  #peak = 0;
  #slowStart = true;
  #rate: number | undefined;
  #nextStart = 0;
  /** Callers waiting for a slot: highest priority first, then in order of arrival. */
  readonly #waiting = new WaitQueue();
  #arrivals = 0;
  #successes: number[] = [];
  #successHead = 0;
  /** The last WINDOW answers, true for a 429 (a ring), and how many of them are 429s. */
  readonly #recent: boolean[] = [];
  #recentNext = 0;
  #recent429 = 0;
  /** 429s answered since the last success. */
  #run429 = 0;
  #stopped: { reason: unknown } | undefined;
  /** Settles at `stop`: a paced start waiting for its time wakes then. */
  readonly #whenStopped: Promise<void>;
  #resolveStopped: () => void = () => {};

  constructor(options: ConcurrencyOptions = {}) {
    this.#max = Math.max(1, Math.floor(options.max ?? 32));
    this.#min = Math.min(this.#max, Math.max(1, Math.floor(options.min ?? 1)));
    this.#limit = Math.min(this.#max, Math.max(this.#min, options.initial ?? this.#max));
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#probeSize = Math.floor(this.#limit);
    this.#probeLeft = this.#probeSize;
    this.#probing = true;
    this.#whenStopped = new Promise((resolve) => (this.#resolveStopped = resolve));
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

  /**
   * Waits for a slot (and, when pacing, for the slot's start time); returns the epoch for `release`.
   * Free slots go to the waiting caller of highest `priority` [0], then to the one waiting longest.
   * Rejects (holding no slot) once `stop` was called.
   */
  async acquire(priority = 0): Promise<number> {
    this.#throwIfStopped();
    const arrival = this.#arrivals++;
    while (!this.#canStart() || this.#waiting.outranks(priority, arrival)) {
      await new Promise<void>((resolve, reject) => {
        this.#waiting.push(priority, arrival, resolve, reject);
        if (this.#canStart()) this.#wake();
      });
    }
    if (this.#probing) {
      if (this.#probeLeft === this.#probeSize) this.#probeFirstStart = this.#now();
      this.#probeLeft--;
      this.#probeLastStart = this.#now();
      if (this.#probeLeft === 0 && this.#probeRtt !== undefined) this.#onProbeAnswer();
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
      await Promise.race([this.#sleep(this.#nextStart - now), this.#whenStopped]);
      if (this.#stopped !== undefined) {
        this.#inFlight--;
        this.#wake();
        this.#throwIfStopped();
      }
    }
    return epoch;
  }

  /**
   * Stops handing out slots: every caller waiting, and every later `acquire`, is rejected with
   * `reason`. Requests already holding a slot still `release` it.
   */
  stop(reason: unknown): void {
    if (this.#stopped !== undefined) return;
    this.#stopped = { reason };
    this.#waiting.rejectAll(reason);
    this.#resolveStopped();
  }

  #throwIfStopped(): void {
    if (this.#stopped !== undefined) throw this.#stopped.reason;
  }

  /**
   * Frees a slot. `success` grows the limits, `overload` (a 429) may cut them (see the class),
   * `neutral` keeps them. `retryAfterMs` (a 429's Retry-After) holds every start when the 429 cuts.
   * Returns whether the limits were cut.
   */
  release(epoch: number, outcome: "success" | "overload" | "neutral", retryAfterMs?: number): boolean {
    this.#inFlight--;
    if (this.#probing) {
      this.#onProbeAnswer();
      this.#probeOver();
    }
    let cut = false;
    if (outcome === "success") {
      this.#remember(false);
      this.#run429 = 0;
      this.#limit = Math.min(this.#max, this.#limit + (this.#slowStart ? 0.5 : 1 / this.#limit));
      this.#recordSuccess();
      if (this.#rate !== undefined) this.#rate += this.#growth(this.#rate) / this.#rate;
    } else if (outcome === "overload" && epoch === this.#epoch) {
      // A 429 of a request sent before the last cut was part of the overload that cut.
      this.#remember(true);
      this.#run429++;
      if (this.#limitReached()) {
        cut = true;
        this.#cut(retryAfterMs);
      }
    }
    this.#wake();
    return cut;
  }

  /** Whether the 429 just remembered says a limit was reached (see the class). */
  #limitReached(): boolean {
    if (this.#recent429 >= CLUSTER || this.#run429 >= RUN) return true;
    if (this.#rate === undefined) return false;
    if (this.#recent429 >= PACED_CLUSTER) return true;
    return this.#ceiling !== undefined && this.#rate >= 0.9 * this.#ceiling;
  }

  #cut(retryAfterMs: number | undefined): void {
    this.#slowStart = false;
    this.#limit = Math.max(this.#min, this.#limit / 2);
    const observed = this.#observedRate();
    if (observed !== undefined) {
      this.#ceiling = Math.min(this.#rate ?? Infinity, observed);
      this.#rate = Math.max(1, 0.8 * this.#ceiling);
    }
    this.#epoch++;
    // The 429s of this cluster are spent: the next cut needs a cluster of its own.
    this.#recent.length = 0;
    this.#recentNext = 0;
    this.#recent429 = 0;
    this.#run429 = 0;
    // The bucket is empty now: no start (of any caller) until it has refilled for a while.
    const hold = retryAfterMs ?? (this.#rate === undefined ? 0 : 1000 / this.#rate);
    this.#nextStart = Math.max(this.#nextStart, this.#now() + Math.min(HOLD_MAX_MS, hold));
  }

  #remember(rateLimited: boolean): void {
    if (this.#recent.length < WINDOW) this.#recent.push(rateLimited);
    else {
      if (this.#recent[this.#recentNext] === true) this.#recent429--;
      this.#recent[this.#recentNext] = rateLimited;
      this.#recentNext = (this.#recentNext + 1) % WINDOW;
    }
    if (rateLimited) this.#recent429++;
  }

  /** Requests/s the paced rate grows by per second: slowly near the ceiling, else faster. */
  #growth(rate: number): number {
    const ceiling = this.#ceiling;
    if (ceiling !== undefined && rate >= 0.9 * ceiling && rate < 1.1 * ceiling)
      return Math.max(0.1, rate * 0.005);
    return Math.max(0.5, rate * 0.02);
  }

  #canStart(): boolean {
    if (this.#inFlight >= Math.floor(this.#limit)) return false;
    return !this.#probing || this.#probeLeft > 0 || this.#probeOver();
  }

  /**
   * The probe round is over once its starts are used and all of them answered, or, when one
   * hangs, twice the first answer's time after the round's last start.
   */
  #probeOver(): boolean {
    const deadline = this.#probeDeadline();
    if (
      (this.#probeLeft === 0 && this.#inFlight === 0) ||
      (deadline !== undefined && this.#now() >= deadline)
    ) {
      this.#probing = false;
    }
    return !this.#probing;
  }

  #probeDeadline(): number | undefined {
    return this.#probeRtt === undefined ? undefined : this.#probeLastStart + 2 * this.#probeRtt;
  }

  /** At each answer in the probe round: the first one sets the round trip; a timer ends a stuck round. */
  #onProbeAnswer(): void {
    if (this.#probeRtt === undefined) this.#probeRtt = this.#now() - this.#probeFirstStart;
    if (this.#probeTimer) return;
    const wait = (): void => {
      const deadline = this.#probeDeadline() ?? 0;
      this.#probeTimer = true;
      void this.#sleep(Math.max(0, deadline - this.#now())).then(() => {
        this.#probeTimer = false;
        if (!this.#probing) return;
        if (this.#probeOver()) this.#wake();
        else if (this.#probeLeft === 0) wait(); // a later start moved the deadline
      });
    };
    if (this.#probeLeft === 0) wait();
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
    if (this.#probing) free = Math.min(free, this.#probeLeft);
    for (; free > 0; free--) {
      const next = this.#waiting.pop();
      if (next === undefined) break;
      next();
    }
  }
}

interface Waiter {
  readonly priority: number;
  readonly arrival: number;
  readonly resume: () => void;
  readonly reject: (reason: unknown) => void;
}

/** A binary heap of waiting callers: highest priority first, earliest arrival among equals. */
class WaitQueue {
  readonly #heap: Waiter[] = [];

  /** Whether a waiter would be served before a caller of `priority` that arrived `arrival`th. */
  outranks(priority: number, arrival: number): boolean {
    const top = this.#heap[0];
    return top !== undefined && before(top, { priority, arrival });
  }

  push(priority: number, arrival: number, resume: () => void, reject: (reason: unknown) => void): void {
    const heap = this.#heap;
    heap.push({ priority, arrival, resume, reject });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): (() => void) | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < heap.length && before(heap[left]!, heap[first]!)) first = left;
        if (right < heap.length && before(heap[right]!, heap[first]!)) first = right;
        if (first === i) break;
        [heap[i], heap[first]] = [heap[first]!, heap[i]!];
        i = first;
      }
    }
    return top.resume;
  }

  /** Rejects and removes every waiter. */
  rejectAll(reason: unknown): void {
    for (const waiter of this.#heap.splice(0)) waiter.reject(reason);
  }
}

function before(a: Pick<Waiter, "priority" | "arrival">, b: Pick<Waiter, "priority" | "arrival">): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.arrival < b.arrival;
}
