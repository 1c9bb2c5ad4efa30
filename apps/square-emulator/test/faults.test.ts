import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, firstError } from "./helpers.js";

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
      latencyMs: { min: 0, max: 1 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ faultRate: 1, latencyMs: { min: 0, max: 1 } });
    expect([500, 503]).toContain((await call(em, "GET", "/v2/customers/groups")).status);
    await call(em, "POST", "/_emulator/configure", { faultRate: 0, rateLimit: null });
    expect((await call(em, "GET", "/v2/customers/groups")).status).toBe(200);
    for (const [body, field] of [
      [{ faultRate: 2 }, "faultRate"],
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
