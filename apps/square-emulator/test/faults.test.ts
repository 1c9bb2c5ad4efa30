import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type DelaySpec, type Emulator } from "../src/index.js";
import { call, firstError, type Reply } from "./helpers.js";

let em: Emulator | undefined;
afterEach(async () => {
  await em?.stop();
  em = undefined;
});

describe("faults", () => {
  it("rate-limits with a token bucket: 429 RATE_LIMITED, Retry-After on some answers", async () => {
    em = await startEmulator({ rateLimit: 2 });
    const e = em;
    // Sent at once: the bucket (2 tokens, 2 more per second) refills little while they arrive.
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => call(e, "GET", "/v2/customers/groups")),
    );
    const limited = replies.filter((r) => r.status === 429);
    const ok = replies.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(ok.length).toBeLessThanOrEqual(4);
    expect(limited.length).toBe(12 - ok.length);
    expect(firstError(limited[0] as (typeof limited)[0])).toMatchObject({
      category: "RATE_LIMIT_ERROR",
      code: "RATE_LIMITED",
    });
    const withHeader = limited.filter((r) => r.headers["retry-after"] !== undefined);
    expect(withHeader.length).toBeGreaterThan(0);
    expect(withHeader.length).toBeLessThan(limited.length);
    expect(Number(withHeader[0]?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(em.stats().rateLimited).toBe(limited.length);
    expect(em.stats().calls["ListCustomerGroups"]).toBe(12);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await call(em, "GET", "/v2/customers/groups")).status).toBe(200);
  });

  it("answers a configured share of requests 500 or 503, seeded", async () => {
    const statuses = async (): Promise<number[]> => {
      const e = await startEmulator({ faultRate: 0.5, randomSeed: 99 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await call(e, "GET", "/v2/customers/groups")).status);
      expect(e.stats().faults).toBe(out.filter((s) => s !== 200).length);
      await e.stop();
      return out;
    };
    const a = await statuses();
    expect(await statuses()).toEqual(a);
    expect(a).toContain(200);
    expect(a).toContain(500);
    expect(a).toContain(503);
  });

  it("answers a configured share of requests 429 (throttleRate), within 1% over 4,000 requests", async () => {
    em = await startEmulator({ throttleRate: 0.05, randomSeed: 7 });
    const e = em;
    let limited = 0;
    // In rounds of 50 at once: the draws are per request in arrival order, so order within a round does not matter.
    for (let round = 0; round < 80; round++) {
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => call(e, "GET", "/v2/customers/groups")),
      );
      for (const r of replies) {
        expect([200, 429]).toContain(r.status);
        if (r.status === 429) limited++;
      }
    }
    expect(limited / 4000).toBeGreaterThan(0.04);
    expect(limited / 4000).toBeLessThan(0.06);
    expect(em.stats()).toMatchObject({ total: 4000, rateLimited: limited, faults: 0, resets: 0 });
  });

  it("throttles the same requests for the same randomSeed, whatever latency draws", async () => {
    const statuses = async (latencyMs: DelaySpec): Promise<number[]> => {
      const e = await startEmulator({ throttleRate: 0.3, latencyMs, randomSeed: 21 });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await call(e, "GET", "/v2/customers/groups")).status);
      await e.stop();
      return out;
    };
    const a = await statuses(0);
    expect(await statuses(0)).toEqual(a);
    expect(await statuses({ min: 0, max: 2 })).toEqual(a);
    expect(a).toContain(200);
    expect(a).toContain(429);
    const other = await startEmulator({ throttleRate: 0.3, randomSeed: 22 });
    const b: number[] = [];
    for (let i = 0; i < 40; i++) b.push((await call(other, "GET", "/v2/customers/groups")).status);
    await other.stop();
    expect(b).not.toEqual(a);
  });

  it("answers a throttled request exactly as the token bucket does: same body, Retry-After on every other 429", async () => {
    const bucket = await startEmulator({ rateLimit: 1 });
    const fromBucket = await Promise.all(
      Array.from({ length: 5 }, () => call(bucket, "GET", "/v2/customers/groups")),
    );
    await bucket.stop();
    const bucketLimited = fromBucket.filter((r) => r.status === 429);
    expect(bucketLimited.length).toBeGreaterThanOrEqual(3);

    em = await startEmulator({ throttleRate: 1 });
    const throttled: Reply[] = [];
    for (let i = 0; i < 4; i++) throttled.push(await call(em, "POST", "/v2/customers/search", {}));
    const shape = (r: Reply) => ({ status: r.status, body: r.body, contentType: r.headers["content-type"] });
    for (const r of throttled) expect(shape(r)).toEqual(shape(bucketLimited[0] as Reply));
    // Both alternate: Retry-After (whole seconds, here 1) on the first 429 and every other one after it.
    expect(bucketLimited.filter((r) => r.headers["retry-after"] === "1")).toHaveLength(
      Math.ceil(bucketLimited.length / 2),
    );
    expect(throttled.map((r) => r.headers["retry-after"])).toEqual(["1", undefined, "1", undefined]);
    expect(firstError(throttled[0] as Reply)).toMatchObject({
      category: "RATE_LIMIT_ERROR",
      code: "RATE_LIMITED",
    });
    expect(em.stats()).toMatchObject({ rateLimited: 4, calls: { SearchCustomers: 4 } });
  });

  it("throttles before the token bucket (spending no token), resets and 5xx", async () => {
    em = await startEmulator({ throttleRate: 1, rateLimit: 2, resetRate: 1, faultRate: 1 });
    for (let i = 0; i < 5; i++) expect((await call(em, "GET", "/v2/customers/groups")).status).toBe(429);
    expect(em.stats()).toMatchObject({ rateLimited: 5, resets: 0, faults: 0 });
    em.configure({ throttleRate: 0, resetRate: 0, faultRate: 0 });
    // The bucket is still full: the five 429s took no token.
    const e = em;
    const replies = await Promise.all([0, 1].map(() => call(e, "GET", "/v2/customers/groups")));
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
  });

  it("answers every request with API_ERROR at faultRate 1, and recovers when configured at runtime", async () => {
    em = await startEmulator({ faultRate: 1 });
    const reply = await call(em, "POST", "/v2/customers/search", {});
    expect([500, 503]).toContain(reply.status);
    expect(firstError(reply).category).toBe("API_ERROR");
    em.configure({ faultRate: 0 });
    expect((await call(em, "POST", "/v2/customers/search", {})).status).toBe(200);
  });

  it("resets connections mid-request; an idempotent retry creates one group", async () => {
    em = await startEmulator({ resetRate: 1 });
    const body = { idempotency_key: "retry-me", group: { name: "VIP" } };
    await expect(call(em, "POST", "/v2/customers/groups", body)).rejects.toThrow();
    expect(em.stats().resets).toBe(1);
    em.configure({ resetRate: 0 });
    const retried = await call(em, "POST", "/v2/customers/groups", body);
    expect(retried.status).toBe(200);
    expect(em.store.groups()).toHaveLength(1);
  });

  it("adds latency", async () => {
    em = await startEmulator({ latencyMs: { min: 80, max: 120 } });
    const started = performance.now();
    const response = await request(`${em.url}/v2/customers/groups`, {
      headers: { authorization: `Bearer ${em.token}` },
    });
    await response.body.text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("is configurable over HTTP for an emulator run from the CLI", async () => {
    em = await startEmulator();
    const set = await call(em, "POST", "/_emulator/configure", {
      faultRate: 1,
      throttleRate: 0.25,
      latencyMs: { min: 0, max: 1 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ faultRate: 1, throttleRate: 0.25, latencyMs: { min: 0, max: 1 } });
    em.configure({ throttleRate: 0 });
    expect([500, 503]).toContain((await call(em, "GET", "/v2/customers/groups")).status);
    await call(em, "POST", "/_emulator/configure", { faultRate: 0, rateLimit: null });
    expect((await call(em, "GET", "/v2/customers/groups")).status).toBe(200);
    for (const [body, field] of [
      [{ faultRate: 2 }, "faultRate"],
      [{ throttleRate: 1.5 }, "throttleRate"],
      [{ throttleRate: -0.1 }, "throttleRate"],
      [{ throttleRate: "0.05" }, "throttleRate"],
      [{ searchLagMs: { min: 5, max: 1 } }, "searchLagMs"],
      [{ rateLimit: 0 }, "rateLimit"],
      [{ chaos: true }, "chaos"],
    ] as const) {
      const reply = await call(em, "POST", "/_emulator/configure", body);
      expect(reply.status).toBe(400);
      expect(firstError(reply).field).toBe(field);
    }
  });
});
