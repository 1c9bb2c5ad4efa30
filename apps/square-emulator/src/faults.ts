import { drawDelay, type Random } from "./random.js";
import type { FaultOptions } from "./types.js";

/** What to do to one request before it is served. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "rate-limited"; retryAfterSeconds: number | undefined }
  | { kind: "error"; status: 500 | 503 }
  | { kind: "reset"; afterApplying: boolean };

/** The seeded sources of a {@link FaultInjector}. */
export interface FaultRandoms {
  /** Latency, resets and 500/503: drawn only while the option concerned is on. */
  faults: Random;
  /** `throttleRate`: one draw per request while it is on, so the n-th request's fate depends on the seed alone. */
  throttle: Random;
}

/**
 * Seeded fault injection, in this order: latency, a share of 429s (`throttleRate`), a
 * token-bucket rate limit (429), connection resets (half of them after the request took
 * effect), a share of 500/503 answers. Each share applies to the requests the steps before it
 * let through.
 */
export class FaultInjector {
  private tokens = 0;
  private refilledAt = 0;
  private rateLimitedCount = 0;

  constructor(
    public options: FaultOptions,
    private readonly randoms: FaultRandoms,
    private readonly now: () => number,
  ) {
    this.tokens = options.rateLimit ?? 0;
    this.refilledAt = now();
  }

  /** Changes some options at runtime. */
  configure(partial: Partial<FaultOptions>): void {
    const before = this.options.rateLimit;
    this.options = { ...this.options, ...partial };
    if (this.options.rateLimit !== before) {
      this.tokens = this.options.rateLimit ?? 0;
      this.refilledAt = this.now();
    }
  }

  /** Milliseconds to wait before answering. */
  latency(): number {
    return Math.max(0, drawDelay(this.options.latencyMs, this.randoms.faults));
  }

  /** The fault (if any) for the next request. */
  decide(): FaultDecision {
    const random = this.randoms.faults;
    // Before the bucket: a request refused either way spends no token.
    if (this.options.throttleRate > 0 && this.randoms.throttle.next() < this.options.throttleRate) {
      return this.rateLimited(1);
    }
    const rate = this.options.rateLimit;
    if (rate !== undefined && rate > 0) {
      const now = this.now();
      this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
      this.refilledAt = now;
      if (this.tokens < 1) return this.rateLimited(Math.max(1, Math.ceil((1 - this.tokens) / rate)));
      this.tokens -= 1;
    }
    if (this.options.resetRate > 0 && random.next() < this.options.resetRate) {
      return { kind: "reset", afterApplying: random.next() < 0.5 };
    }
    if (this.options.faultRate > 0 && random.next() < this.options.faultRate) {
      return { kind: "error", status: random.next() < 0.5 ? 500 : 503 };
    }
    return { kind: "none" };
  }

  /** A 429; Square does not say whether it carries Retry-After: sent on every other one (of either kind). */
  private rateLimited(waitSeconds: number): FaultDecision {
    this.rateLimitedCount++;
    return {
      kind: "rate-limited",
      retryAfterSeconds: this.rateLimitedCount % 2 === 1 ? waitSeconds : undefined,
    };
  }
}
