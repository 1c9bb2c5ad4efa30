// Answers the emulator does not give on purpose (an exact Retry-After, a proxy's HTML page, an
// error detail that echoes the token), served by a scripted HTTP server on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  checkBaseUrl,
  createSquareClient,
  SQUARE_VERSION,
  SquareOptionsError,
  type SquareClient,
} from "../src/index.js";
import { rejectionOf, serializeError } from "./helpers.js";
import { startScriptedServer } from "./scripted-server.js";

const TOKEN = "EAAA-sentinel-token-0123456789";
let server: Awaited<ReturnType<typeof startScriptedServer>>;
let client: SquareClient;
let waits: number[];

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

const list = () =>
  client.send({ operation: "ListCustomerGroups", method: "GET", path: "/v2/customers/groups" });

describe("what the client sends", () => {
  it("Bearer auth, the pinned Square-Version, and counts bytes", async () => {
    server.script({ status: 200, body: { groups: [{ id: "G1", name: "VIP" }] } });
    await list();
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.seen[0]?.headers["square-version"]).toBe(SQUARE_VERSION);
    expect(client.stats().bytesReceived).toBe(JSON.stringify({ groups: [{ id: "G1", name: "VIP" }] }).length);
  });
});

describe("answers", () => {
  it("waits exactly Retry-After seconds, and full-jitter backoff without it", async () => {
    server.script(
      { status: 429, headers: { "retry-after": "2" } },
      { status: 503 },
      { status: 200, body: {} },
    );
    await list();
    expect(waits).toEqual([2000, 10]);
  });

  it("ends the retries when Retry-After goes beyond the total time budget", async () => {
    await client.close();
    client = createSquareClient({
      token: TOKEN,
      baseUrl: server.url,
      retry: { maxElapsedMs: 1000 },
      sleep: async () => {},
    });
    server.script({ status: 503, headers: { "retry-after": "60" } });
    await expect(list()).rejects.toMatchObject({ code: "GS_SQUARE_SERVER_ERROR", attempts: 1 });
  });

  it("a 2xx that is not JSON is GS_SQUARE_INVALID_RESPONSE", async () => {
    server.script({ status: 200, body: "<html>proxy</html>" });
    await expect(list()).rejects.toMatchObject({ code: "GS_SQUARE_INVALID_RESPONSE" });
  });

  it("redacts the token from an error detail that echoes it", async () => {
    server.script({
      status: 401,
      body: {
        errors: [{ category: "AUTHENTICATION_ERROR", code: "UNAUTHORIZED", detail: `Bad token ${TOKEN}` }],
      },
    });
    const error = await rejectionOf(list());
    expect(error).toMatchObject({ code: "GS_SQUARE_UNAUTHORIZED", detail: "Bad token [REDACTED]" });
    expect(serializeError(error)).not.toContain(TOKEN);
  });
});

describe("options", () => {
  it.each([
    "http://example.com",
    "http://10.0.0.1:8080",
    "ftp://127.0.0.1",
    "not a url",
    "https://user:pw@connect.squareup.com",
  ])("refuses the base URL %s", (baseUrl) => {
    expect(() => createSquareClient({ token: TOKEN, baseUrl })).toThrow(SquareOptionsError);
  });

  it.each([
    ["http://example.com", "GS_SQUARE_INSECURE_BASE_URL", "must not be plain http to example.com"],
    ["http://127.0.0.2.example.com", "GS_SQUARE_INSECURE_BASE_URL", "plain http"],
    ["ftp://127.0.0.1", "GS_SQUARE_INVALID_BASE_URL", 'must be an http(s) URL, not "ftp:"'],
    ["not a url", "GS_SQUARE_INVALID_BASE_URL", "is not a URL"],
    ["https://user:pw@connect.squareup.com", "GS_SQUARE_INVALID_BASE_URL", "must not carry credentials"],
    ["https://connect.squareup.com/?token=x", "GS_SQUARE_INVALID_BASE_URL", "a query"],
  ])("checkBaseUrl(%s): %s", (raw, code, reason) => {
    const checked = checkBaseUrl(raw);
    expect(checked).toMatchObject({ ok: false, code, reason: expect.stringContaining(reason) as unknown });
    expect(JSON.stringify(checked)).not.toMatch(/pw@|token=x/);
    expect(() => createSquareClient({ token: TOKEN, baseUrl: raw })).toThrowError(
      expect.objectContaining({ code, message: expect.stringContaining(reason) as unknown }),
    );
  });

  it.each(["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://example.com/proxy"])(
    "accepts %s",
    async (baseUrl) => {
      const c = createSquareClient({ token: TOKEN, baseUrl });
      expect(c.baseUrl).toBe(baseUrl);
      await c.close();
    },
  );

  it("defaults to production, knows the sandbox, refuses an empty token", async () => {
    const production = createSquareClient({ token: TOKEN });
    const sandbox = createSquareClient({ token: TOKEN, environment: "sandbox" });
    expect(production.baseUrl).toBe("https://connect.squareup.com");
    expect(sandbox.baseUrl).toBe("https://connect.squareupsandbox.com");
    await production.close();
    await sandbox.close();
    expect(() => createSquareClient({ token: "  " })).toThrow(/access token/);
  });
});
