import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";

describe("ConcurrencyLimiter (AIMD)", () => {
  it("never lets more than the limit run at once", async () => {
    const limiter = new ConcurrencyLimiter({ initial: 3, max: 3 });
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const epoch = await limiter.acquire();
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        limiter.release(epoch, "neutral");
      }),
    );
    expect(most).toBe(3);
    expect(limiter.peak).toBe(3);
  });

  it("grows by about one per round of successes, up to max", () => {
    const limiter = new ConcurrencyLimiter({ initial: 4, max: 6 });
    for (let i = 0; i < 4; i++) limiter.release(0, "success");
    expect(limiter.limit).toBe(4);
    for (let i = 0; i < 2; i++) limiter.release(0, "success");
    expect(limiter.limit).toBe(5);
    for (let i = 0; i < 100; i++) limiter.release(0, "success");
    expect(limiter.limit).toBe(6);
  });

  it("halves on overload, once per burst of requests that were in flight together", async () => {
    const limiter = new ConcurrencyLimiter({ initial: 16, max: 32 });
    const epochs = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire()));
    for (const epoch of epochs) limiter.release(epoch, "overload");
    expect(limiter.limit).toBe(8);
    const next = await limiter.acquire();
    limiter.release(next, "overload");
    expect(limiter.limit).toBe(4);
  });

  it("does not go below min", async () => {
    const limiter = new ConcurrencyLimiter({ initial: 2, min: 1 });
    for (let i = 0; i < 5; i++) {
      const epoch = await limiter.acquire();
      limiter.release(epoch, "overload");
    }
    expect(limiter.limit).toBe(1);
  });
});
