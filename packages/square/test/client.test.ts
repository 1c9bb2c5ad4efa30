import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createSquareClient,
  SQUARE_VERSION,
  SquareApiError,
  SquareAuthError,
  SquareError,
  SquareNetworkError,
  SquareOptionsError,
  SquareRateLimitError,
  SquareServerError,
  type SquareClient,
} from "../src/index.js";
import { startScriptedServer } from "./scripted-server.js";

const TOKEN = "EAAA-sentinel-token-0123456789";
let server: Awaited<ReturnType<typeof startScriptedServer>>;
let client: SquareClient;
let waits: number[];

function serialize(error: unknown): string {
  const seen = new Set<unknown>();
  const walk = (value: unknown): unknown => {
    if (value instanceof Error) {
      if (seen.has(value)) return "[cycle]";
      seen.add(value);
      const own: Record<string, unknown> = {};
      for (const key of Object.getOwnPropertyNames(value))
        own[key] = walk((value as unknown as Record<string, unknown>)[key]);
      return {
        ...own,
        name: value.name,
        message: value.message,
        stack: value.stack,
        cause: walk(value.cause),
      };
    }
    return value;
  };
  return JSON.stringify(walk(error)) + String(error) + (error instanceof Error ? (error.stack ?? "") : "");
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await client.close();
  await server.close();
});
beforeEach(async () => {
  await client?.close();
  waits = [];
  server.seen.length = 0;
  client = createSquareClient({
    token: TOKEN,
    baseUrl: server.url,
    retry: { baseDelayMs: 10, maxDelayMs: 100, maxAttempts: 4 },
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
  });
});

const listGroups = () =>
  client.send({ operation: "ListCustomerGroups", method: "GET", path: "/v2/customers/groups" });

describe("requests", () => {
  it("sends Bearer auth, the pinned Square-Version and JSON, and counts calls and bytes", async () => {
    server.script({ status: 200, body: { groups: [{ id: "G1", name: "VIP" }] } });
    await expect(listGroups()).resolves.toEqual({ groups: [{ id: "G1", name: "VIP" }] });
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.seen[0]?.headers["square-version"]).toBe(SQUARE_VERSION);
    const stats = client.stats();
    expect(stats.calls).toEqual({ ListCustomerGroups: 1 });
    expect(stats.total).toBe(1);
    expect(stats.bytesReceived).toBe(JSON.stringify({ groups: [{ id: "G1", name: "VIP" }] }).length);
  });
});

describe("retries", () => {
  it("retries 500 and 503 with full-jitter backoff, then succeeds", async () => {
    server.script(
      { status: 500, body: { errors: [{ category: "API_ERROR", code: "INTERNAL_SERVER_ERROR" }] } },
      { status: 503 },
      { status: 200, body: { ok: 1 } },
    );
    await expect(listGroups()).resolves.toEqual({ ok: 1 });
    expect(server.seen).toHaveLength(3);
    expect(waits).toEqual([5, 10]);
    expect(client.stats()).toMatchObject({ total: 3, retries: 2, serverErrors: 2 });
  });

  it("honours Retry-After on 429 and counts it", async () => {
    server.script(
      {
        status: 429,
        headers: { "retry-after": "2" },
        body: { errors: [{ category: "RATE_LIMIT_ERROR", code: "RATE_LIMITED" }] },
      },
      { status: 200, body: {} },
    );
    await listGroups();
    expect(waits).toEqual([2000]);
    expect(client.stats()).toMatchObject({ rateLimited: 1, retries: 1 });
  });

  it("retries a reset connection", async () => {
    server.script({ reset: true }, { status: 200, body: { ok: 2 } });
    await expect(listGroups()).resolves.toEqual({ ok: 2 });
    expect(client.stats()).toMatchObject({ networkErrors: 1, retries: 1 });
  });

  it("gives up after maxAttempts with a typed error", async () => {
    server.script(
      ...Array.from({ length: 4 }, () => ({
        status: 429,
        body: { errors: [{ category: "RATE_LIMIT_ERROR", code: "RATE_LIMITED" }] },
      })),
    );
    const error = await failure(listGroups());
    expect(error).toBeInstanceOf(SquareRateLimitError);
    expect(error).toMatchObject({
      code: "SQUARE_RATE_LIMITED",
      status: 429,
      attempts: 4,
      operation: "ListCustomerGroups",
    });
    expect(server.seen).toHaveLength(4);
  });

  it("never retries another 4xx", async () => {
    server.script({
      status: 400,
      body: {
        errors: [
          { category: "INVALID_REQUEST_ERROR", code: "VALUE_TOO_HIGH", field: "limit", detail: "too high" },
        ],
      },
    });
    const error = await failure(listGroups());
    expect(error).toBeInstanceOf(SquareApiError);
    expect(error).toMatchObject({
      code: "SQUARE_BAD_REQUEST",
      squareCode: "VALUE_TOO_HIGH",
      field: "limit",
      category: "INVALID_REQUEST_ERROR",
    });
    expect(server.seen).toHaveLength(1);
  });

  it("bounds the total time: a Retry-After beyond the budget ends the retries", async () => {
    await client.close();
    client = createSquareClient({
      token: TOKEN,
      baseUrl: server.url,
      retry: { maxElapsedMs: 1000 },
      sleep: async () => {},
    });
    server.script({ status: 503, headers: { "retry-after": "60" } });
    const error = await failure(listGroups());
    expect(error).toBeInstanceOf(SquareServerError);
    expect(server.seen).toHaveLength(1);
  });
});

describe("errors", () => {
  it("401 says to check the token and environment; the token is nowhere in the error", async () => {
    server.script({
      status: 401,
      body: {
        errors: [
          {
            category: "AUTHENTICATION_ERROR",
            code: "UNAUTHORIZED",
            detail: `This request could not be authorized: ${TOKEN}`,
          },
        ],
      },
    });
    const error = await failure(listGroups());
    expect(error).toBeInstanceOf(SquareAuthError);
    expect(error).toMatchObject({ code: "SQUARE_UNAUTHORIZED", status: 401 });
    expect((error as SquareError).hint).toMatch(/SQUARE_ACCESS_TOKEN/);
    expect(serialize(error)).not.toContain(TOKEN);
  });

  it("403 on a write names CUSTOMERS_WRITE", async () => {
    server.script({
      status: 403,
      body: { errors: [{ category: "AUTHENTICATION_ERROR", code: "INSUFFICIENT_SCOPES" }] },
    });
    const error = await failure(
      client.send({
        operation: "CreateCustomerGroup",
        method: "POST",
        path: "/v2/customers/groups",
        body: { group: { name: "x" } },
      }),
    );
    expect(error).toMatchObject({ code: "SQUARE_FORBIDDEN" });
    expect((error as SquareError).hint).toMatch(/CUSTOMERS_WRITE/);
  });

  it("a refused connection is a SquareNetworkError without the token", async () => {
    const dead = createSquareClient({
      token: TOKEN,
      baseUrl: "http://127.0.0.1:1",
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const error = await failure(
      dead.send({ operation: "ListCustomers", method: "GET", path: "/v2/customers" }),
    );
    await dead.close();
    expect(error).toBeInstanceOf(SquareNetworkError);
    expect(error).toMatchObject({ code: "SQUARE_NETWORK_ERROR", attempts: 2 });
    expect(serialize(error)).not.toContain(TOKEN);
  });

  it.each([
    "http://example.com",
    "http://10.0.0.1:8080",
    "ftp://127.0.0.1",
    "not a url",
    "https://user:pw@connect.squareup.com",
  ])("refuses the base URL %s", (baseUrl) => {
    expect(() => createSquareClient({ token: TOKEN, baseUrl })).toThrow(SquareOptionsError);
  });

  it.each(["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://example.com/proxy"])(
    "accepts %s",
    async (baseUrl) => {
      const c = createSquareClient({ token: TOKEN, baseUrl });
      expect(c.baseUrl).toBe(baseUrl);
      await c.close();
    },
  );

  it("refuses an empty token", () => {
    expect(() => createSquareClient({ token: "  " })).toThrow(/access token/);
  });
});
