import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "./concurrency-limiter.js";

/** A limiter on a fake clock that its waits move forward; a test may also set `clock.now`. */
function onFakeClock(
  initial: number,
  waits?: number[],
): { clock: { now: number }; limiter: ConcurrencyLimiter } {
  const clock = { now: 0 };
  const limiter = new ConcurrencyLimiter({
    initial,
    now: () => clock.now,
    sleep: async (ms) => {
      waits?.push(ms);
      clock.now += ms;
    },
  });
  return { clock, limiter };
}

/** 429s that say a limit was reached: four answered in a row (a bucket that ran dry refuses all). */
async function overloadRun(limiter: ConcurrencyLimiter, retryAfterMs?: number): Promise<void> {
  for (let i = 0; i < 4; i++) limiter.release(await limiter.acquire(), "overload", retryAfterMs);
}

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

  it("gives a free slot to the highest priority waiting, then to the one waiting longest", async () => {
    const limiter = new ConcurrencyLimiter({ initial: 2, max: 2 });
    const order: string[] = [];
    const held = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const waiters = (
      [
        ["look-up a", 0],
        ["page 3 of 3", 3],
        ["look-up b", 0],
        ["first page", 100],
        ["page 2 of 5", 4],
        ["page 2 of 3", 3],
      ] as const
    ).map(async ([name, priority]) => {
      const epoch = await limiter.acquire(priority);
      order.push(name);
      // A newcomer while others wait goes behind those that outrank it.
      if (name === "first page") void limiter.acquire(1).then((e) => (order.push("late page"), e));
      await new Promise((resolve) => setTimeout(resolve, 1));
      limiter.release(epoch, "success");
    });
    for (const epoch of held) limiter.release(epoch, "success");
    await Promise.all(waiters);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([
      "first page",
      "page 2 of 5",
      "page 3 of 3",
      "page 2 of 3",
      "late page",
      "look-up a",
      "look-up b",
    ]);
  });

  it("starts with a probe round: the next start waits until the whole first round answered", async () => {
    let now = 0;
    const limiter = new ConcurrencyLimiter({
      initial: 4,
      max: 8,
      now: () => now,
      sleep: () => new Promise(() => {}),
    });
    const first = await Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
    now = 50;
    let fifth = false;
    const next = limiter.acquire().then((epoch) => {
      fifth = true;
      return epoch;
    });
    for (const epoch of first.slice(0, 3)) limiter.release(epoch, "success");
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Three answered, one still out: a 429 among them would be too late to stop a second round.
    expect(fifth).toBe(false);
    limiter.release(first[3] ?? 0, "success");
    limiter.release(await next, "success");
    expect(fifth).toBe(true);
  });

  it("ends the probe round when its first answer is as old as it took, if one request hangs", async () => {
    let now = 0;
    const sleeps: number[] = [];
    const limiter = new ConcurrencyLimiter({
      initial: 2,
      max: 4,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    const a = await limiter.acquire();
    now = 10;
    await limiter.acquire(); // never answers
    now = 50;
    limiter.release(a, "success");
    await new Promise((resolve) => setTimeout(resolve, 1));
    // The first answer took 50 ms: the round ends twice that after its last start (10 ms).
    expect(sleeps).toEqual([60]);
    expect(now).toBe(110);
    const epoch = await limiter.acquire();
    expect(limiter.inFlight).toBe(2);
    limiter.release(epoch, "success");
  });

  it("after a cut, grows the paced rate slowly within 10% of the rate it was cut at", async () => {
    const { clock, limiter } = onFakeClock(4);
    for (let i = 0; i < 20; i++) {
      clock.now += 50;
      limiter.release(await limiter.acquire(), "success");
    }
    await overloadRun(limiter);
    // Cut at 20 successes/s: paced at 16, the ceiling is 20.
    expect(limiter.rate).toBeCloseTo(16, 5);
    const rateAfter = async (successes: number) => {
      for (let i = 0; i < successes; i++) limiter.release(await limiter.acquire(), "success");
      return limiter.rate ?? 0;
    };
    // Below 18 (90%): +0.5 requests/s per second's worth of successes.
    expect((await rateAfter(16)) - 16).toBeCloseTo(0.5, 1);
    let rate = await rateAfter(60);
    expect(rate).toBeGreaterThanOrEqual(18);
    // From 18 on: +0.1 requests/s per second.
    const before = rate;
    rate = await rateAfter(Math.round(before));
    expect(rate - before).toBeCloseTo(0.1, 2);
  });

  it("slow-starts (+1/2 per success) until the first 429, then grows by about one per round", async () => {
    const clock = { now: 0 };
    const limiter = new ConcurrencyLimiter({
      initial: 4,
      max: 40,
      now: () => clock.now,
      sleep: async (ms) => void (clock.now += ms),
    });
    for (let i = 0; i < 24; i++) limiter.release(0, "success");
    expect(limiter.limit).toBe(16);
    await overloadRun(limiter);
    expect(limiter.limit).toBe(8);
    for (let i = 0; i < 8; i++) limiter.release(0, "success");
    expect(limiter.limit).toBe(8);
    for (let i = 0; i < 2; i++) limiter.release(0, "success");
    expect(limiter.limit).toBe(9);
    for (let i = 0; i < 1000; i++) limiter.release(0, "success");
    expect(limiter.limit).toBe(40);
  });

  it("halves once per burst of 429s from requests that were in flight together, not below min", async () => {
    const limiter = new ConcurrencyLimiter({ initial: 16, max: 32, sleep: async () => {} });
    const epochs = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire()));
    for (const epoch of epochs) limiter.release(epoch, "overload");
    expect(limiter.limit).toBe(8);
    for (let i = 0; i < 6; i++) await overloadRun(limiter);
    expect(limiter.limit).toBe(1);
  });

  it("after a 429, paces starts to 80% of the last second's successes, and speeds up slowly", async () => {
    const waits: number[] = [];
    const { clock, limiter } = onFakeClock(4, waits);
    expect(limiter.rate).toBeUndefined();
    // A 429 before anything succeeded says nothing about the rate: no pacing yet.
    limiter.release(await limiter.acquire(), "overload");
    expect(limiter.rate).toBeUndefined();
    // 40 successes within the last second, then a 429.
    for (let i = 0; i < 40; i++) {
      clock.now += 25;
      const e = await limiter.acquire();
      limiter.release(e, "success");
    }
    await overloadRun(limiter);
    expect(limiter.rate).toBeCloseTo(0.8 * 40, 5);
    for (let i = 0; i < 5; i++) limiter.release(await limiter.acquire(), "neutral");
    // 32 requests/s: one start every ~31 ms.
    expect(waits.length).toBeGreaterThanOrEqual(4);
    for (const ms of waits.slice(-4)) expect(ms).toBeCloseTo(1000 / 32, 5);
    const before = limiter.rate ?? 0;
    for (let i = 0; i < 32; i++) limiter.release(await limiter.acquire(), "success");
    // About +2% (0.64 requests/s) after a second's worth of successes.
    expect((limiter.rate ?? 0) - before).toBeGreaterThan(0.55);
    expect((limiter.rate ?? 0) - before).toBeLessThan(0.75);
  });

  it("holds every start after a 429: Retry-After when sent, else one pacing interval", async () => {
    let now = 0;
    const starts: number[] = [];
    const limiter = new ConcurrencyLimiter({
      initial: 8,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    for (let i = 0; i < 20; i++) {
      now += 10;
      limiter.release(await limiter.acquire(), "success");
    }
    // Without pacing yet, a 429 with Retry-After 1 s that cuts holds all starts for that second.
    await overloadRun(limiter, 1000);
    expect(limiter.rate).toBeCloseTo(16, 5);
    const holdFrom = now;
    for (let i = 0; i < 3; i++) {
      const e = await limiter.acquire();
      starts.push(now - holdFrom);
      limiter.release(e, "neutral");
    }
    expect(starts[0]).toBeCloseTo(1000, 5);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeCloseTo(1000 / 16, 5);
    // Without Retry-After: one interval of the new (cut) rate, for the next caller too.
    for (let i = 0; i < 16; i++) limiter.release(await limiter.acquire(), "success");
    // Paced: a first 429 is sporadic, a second one among the last 32 answers cuts.
    limiter.release(await limiter.acquire(), "overload");
    const second = await limiter.acquire();
    const at = now;
    limiter.release(second, "overload");
    const rate = limiter.rate ?? 0;
    const e = await limiter.acquire();
    expect(now - at).toBeCloseTo(1000 / rate, 5);
    limiter.release(e, "neutral");
  });

  it("a 429 that says nothing about the rate (Retry-After absent, nothing succeeded) holds nothing", async () => {
    const { clock, limiter } = onFakeClock(4);
    limiter.release(await limiter.acquire(), "overload");
    limiter.release(await limiter.acquire(), "neutral");
    expect(clock.now).toBe(0);
  });
});

describe("ConcurrencyLimiter: a sporadic 429 or a limit reached", () => {
  it("a lone 429 among successes neither cuts, nor paces, nor holds any start", async () => {
    const { clock, limiter } = onFakeClock(8);
    for (let i = 0; i < 40; i++) limiter.release(await limiter.acquire(), "success");
    const limit = limiter.limit;
    expect(limiter.release(await limiter.acquire(), "overload", 1000)).toBe(false);
    expect(limiter.limit).toBe(limit);
    expect(limiter.rate).toBeUndefined();
    limiter.release(await limiter.acquire(), "success");
    expect(clock.now).toBe(0);
  });

  it("5% of answers 429, spread over 2,000 answers: never a cut", async () => {
    const { limiter } = onFakeClock(32);
    let cuts = 0;
    for (let i = 1; i <= 2000; i++) {
      if (limiter.release(await limiter.acquire(), i % 20 === 0 ? "overload" : "success")) cuts++;
    }
    expect(cuts).toBe(0);
    expect(limiter.limit).toBe(32);
    expect(limiter.rate).toBeUndefined();
  });

  it("cuts once 8 of the last 32 answers are 429s, not before", async () => {
    const { clock, limiter } = onFakeClock(32);
    const outcomes: boolean[] = [];
    for (let i = 0; i < 24; i++) {
      clock.now += 10;
      limiter.release(await limiter.acquire(), "success");
    }
    // 7 429s among the last 32 answers, never two in a row: still sporadic.
    for (let i = 0; i < 7; i++) {
      outcomes.push(limiter.release(await limiter.acquire(), "overload"));
      limiter.release(await limiter.acquire(), "success");
    }
    expect(outcomes).toEqual([false, false, false, false, false, false, false]);
    expect(limiter.release(await limiter.acquire(), "overload")).toBe(true);
    expect(limiter.limit).toBe(16);
    expect(limiter.rate).toBeCloseTo(0.8 * 31, 5);
  });

  it("cuts at four 429s in a row, however few answers came before", async () => {
    const { limiter } = onFakeClock(32);
    for (let i = 0; i < 10; i++) limiter.release(await limiter.acquire(), "success");
    const outcomes: boolean[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(limiter.release(await limiter.acquire(), "overload"));
    expect(outcomes).toEqual([false, false, false, true]);
    expect(limiter.limit).toBe(16);
  });

  it("forgets 429s older than the last 32 answers", async () => {
    const { limiter } = onFakeClock(32);
    for (let i = 0; i < 7; i++) {
      limiter.release(await limiter.acquire(), "overload");
      limiter.release(await limiter.acquire(), "success");
    }
    for (let i = 0; i < 19; i++) limiter.release(await limiter.acquire(), "success");
    // The first 429 just left the window: 7 of the last 32 again.
    expect(limiter.release(await limiter.acquire(), "overload")).toBe(false);
  });

  it("does not count toward the next cut the 429s of requests sent before the last one", async () => {
    const limiter = new ConcurrencyLimiter({ initial: 32, max: 32, sleep: async () => {} });
    const early = await Promise.all(Array.from({ length: 12 }, () => limiter.acquire()));
    for (const epoch of early.slice(0, 4)) limiter.release(epoch, "overload");
    expect(limiter.limit).toBe(16);
    for (const epoch of early.slice(4)) expect(limiter.release(epoch, "overload")).toBe(false);
    // Eight old 429s, then new ones between successes: the eighth new one cuts, not before.
    for (let i = 0; i < 7; i++) {
      expect(limiter.release(await limiter.acquire(), "overload")).toBe(false);
      limiter.release(await limiter.acquire(), "success");
    }
    expect(limiter.release(await limiter.acquire(), "overload")).toBe(true);
    expect(limiter.limit).toBe(8);
  });

  it("once paced, cuts at a second 429 among the last 32 answers, or at one near the ceiling", async () => {
    const { clock, limiter } = onFakeClock(8);
    for (let i = 0; i < 20; i++) {
      clock.now += 50;
      limiter.release(await limiter.acquire(), "success");
    }
    await overloadRun(limiter);
    // Paced at 16 (80% of the 20/s ceiling): one 429 here may be sporadic...
    expect(limiter.rate).toBeCloseTo(16, 5);
    expect(limiter.release(await limiter.acquire(), "overload")).toBe(false);
    for (let i = 0; i < 30; i++) limiter.release(await limiter.acquire(), "success");
    // ...a second one among the last 32 answers is the limit again (the ceiling was too high).
    expect(limiter.release(await limiter.acquire(), "overload")).toBe(true);
    const ceiling = (limiter.rate ?? 0) / 0.8;
    while ((limiter.rate ?? 0) < 0.9 * ceiling) limiter.release(await limiter.acquire(), "success");
    // At 90% of the ceiling and above, the limit is near: a single 429 cuts.
    expect(limiter.release(await limiter.acquire(), "overload")).toBe(true);
  });

  it("stop() rejects the callers waiting and every later acquire, and frees what they held", async () => {
    const limiter = new ConcurrencyLimiter({ initial: 2, max: 2 });
    const held = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const waiting = [limiter.acquire(), limiter.acquire(5)];
    const reason = new Error("stopped");
    limiter.stop(reason);
    for (const w of waiting) await expect(w).rejects.toBe(reason);
    await expect(limiter.acquire()).rejects.toBe(reason);
    for (const epoch of held) limiter.release(epoch, "success");
    expect(limiter.inFlight).toBe(0);
  });

  it("stop() wakes a start waiting for its paced time, without a slot", async () => {
    // A clock that stands still and waits that never end: only stop() can wake the start.
    const limiter = new ConcurrencyLimiter({ initial: 1, now: () => 0, sleep: () => new Promise(() => {}) });
    for (let i = 0; i < 5; i++) limiter.release(await limiter.acquire(), "success");
    await overloadRun(limiter);
    expect(limiter.rate).toBeCloseTo(4, 5);
    const paced = limiter.acquire();
    const reason = new Error("stopped");
    limiter.stop(reason);
    await expect(paced).rejects.toBe(reason);
    expect(limiter.inFlight).toBe(0);
  });
});
