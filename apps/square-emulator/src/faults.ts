import { drawDelay, type Random } from "./random.js";
import type { FaultOptions } from "./types.js";

/** What to do to one request before it is served. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "rate-limited"; retryAfterSeconds: number | undefined }
  | { kind: "error"; status: 500 | 503 }
  | { kind: "reset"; afterApplying: boolean };

/**
 * Seeded fault injection: latency, a token-bucket rate limit (429), a share of 500/503
 * answers and connection resets (half of them after the request took effect).
 */
export class FaultInjector {
  private tokens = 0;
  private refilledAt = 0;
  private rateLimitedCount = 0;

  constructor(
    public options: FaultOptions,
    private readonly random: Random,
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
    return Math.max(0, drawDelay(this.options.latencyMs, this.random));
  }

  /** The fault (if any) for the next request. */
  decide(): FaultDecision {
    const rate = this.options.rateLimit;
    if (rate !== undefined && rate > 0) {
      const now = this.now();
      this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
      this.refilledAt = now;
      if (this.tokens < 1) {
        // Square does not say whether 429 carries Retry-After: send it on every other one.
        this.rateLimitedCount++;
        const wait = Math.max(1, Math.ceil((1 - this.tokens) / rate));
        return {
          kind: "rate-limited",
          retryAfterSeconds: this.rateLimitedCount % 2 === 1 ? wait : undefined,
        };
      }
      this.tokens -= 1;
    }
    if (this.options.resetRate > 0 && this.random.next() < this.options.resetRate) {
      return { kind: "reset", afterApplying: this.random.next() < 0.5 };
    }
    if (this.options.faultRate > 0 && this.random.next() < this.options.faultRate) {
      return { kind: "error", status: this.random.next() < 0.5 ? 500 : 503 };
    }
    return { kind: "none" };
  }
}
