import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  bulkRetrieveCustomers,
  createGroup,
  listCustomers,
  listGroups,
  retrieveGroup,
  searchCustomers,
  SquareApiError,
  SquareAuthError,
  SquareNetworkError,
  SquareServerError,
  type SquareClient,
} from "../src/index.js";
import { callsSeen, clientFor, rejectionOf, serializeError } from "./helpers.js";

const SENTINEL = "EAAAsentinel-SECRET-token-4242";
const T0 = Date.parse("2024-01-01T00:00:00Z");

function seed(): SeedData {
  const groups = Array.from({ length: 120 }, (_, i) => ({
    id: `G${String(i).padStart(4, "0")}`,
    name: `Group ${i}`,
    created_at: new Date(T0).toISOString(),
    updated_at: new Date(T0).toISOString(),
  }));
  const customers = Array.from({ length: 250 }, (_, i) => ({
    id: `C${String(i).padStart(5, "0")}`,
    created_at: new Date(T0 + i * 1000).toISOString(),
    updated_at: new Date(T0 + i * 1000).toISOString(),
    email_address: `person${i}@example.com`,
    group_ids: i % 2 === 0 ? ["G0000"] : [],
    version: 0,
  }));
  return { groups, customers };
}

let emulator: Emulator;
let client: SquareClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: seed(), randomSeed: 7 });
});
afterAll(async () => {
  await client?.close();
  await emulator.stop();
});
beforeEach(async () => {
  await client?.close();
  emulator.configure({ faultRate: 0, resetRate: 0, rateLimit: undefined, latencyMs: 0 });
  emulator.reset();
  client = clientFor(emulator);
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("pagination", () => {
  it("lists every group across pages of 50", async () => {
    const groups = await collect(listGroups(client));
    expect(groups).toHaveLength(120);
    expect(new Set(groups.map((g) => g.id)).size).toBe(120);
    expect(callsSeen(emulator)).toEqual({ ListCustomerGroups: 3 });
    expect(client.stats().calls).toEqual({ ListCustomerGroups: 3 });
  });

  it("lists every customer across many small pages", async () => {
    const customers = await collect(listCustomers(client, { limit: 7, sortField: "CREATED_AT" }));
    expect(customers.map((c) => c.id)).toEqual(seed().customers.map((c) => c.id));
    expect(callsSeen(emulator)).toEqual({ ListCustomers: 36 });
  });

  it("searches by group across pages of 100", async () => {
    const pages: number[] = [];
    const members = await collect(
      searchCustomers(
        client,
        { filter: { group_ids: { any: ["G0000"] } } },
        { onPage: (n) => pages.push(n) },
      ),
    );
    expect(members).toHaveLength(125);
    expect(pages).toEqual([100, 25]);
    expect(callsSeen(emulator)).toEqual({ SearchCustomers: 2 });
  });

  it("bulk-retrieves 100 ids per call and leaves out unknown ids", async () => {
    const ids = [...seed().customers.map((c) => c.id), "NOPE"];
    const found = await bulkRetrieveCustomers(client, ids);
    expect(found.size).toBe(250);
    expect(callsSeen(emulator)).toEqual({ BulkRetrieveCustomers: 3 });
  });

  it("gives undefined for a group that does not exist", async () => {
    await expect(retrieveGroup(client, "NOPE")).resolves.toBeUndefined();
    await expect(retrieveGroup(client, "G0001")).resolves.toMatchObject({ name: "Group 1" });
  });
});

describe("transport", () => {
  it("sends through an injected dispatcher and leaves it open on close", async () => {
    const agent = new Agent({ connections: 2 });
    const seen: string[] = [];
    const dispatcher = agent.compose((dispatch) => (options, handler) => {
      seen.push(`${options.method} ${options.path}`);
      return dispatch(options, handler);
    });
    const own = clientFor(emulator, { dispatcher });
    await expect(retrieveGroup(own, "G0001")).resolves.toMatchObject({ id: "G0001" });
    await own.close();
    expect(seen).toEqual(["GET /v2/customers/groups/G0001"]);
    expect(agent.closed).toBe(false);
    await agent.close();
  });

  it("counts bytes both ways", async () => {
    await bulkRetrieveCustomers(client, ["C00000", "C00001"]);
    const stats = client.stats();
    expect(stats.bytesSent).toBe(JSON.stringify({ customer_ids: ["C00000", "C00001"] }).length);
    expect(stats.bytesReceived).toBeGreaterThan(200);
  });
});

describe("retries against injected faults", () => {
  it("retries 500/503 until they pass, counting what it retried", async () => {
    emulator.configure({ faultRate: 0.4 });
    const groups = await collect(listGroups(client));
    const customers = await collect(listCustomers(client, { limit: 10 }));
    expect(groups).toHaveLength(120);
    expect(customers).toHaveLength(250);
    const faults = emulator.stats().faults;
    expect(faults).toBeGreaterThan(0);
    expect(client.stats().serverErrors).toBe(faults);
    expect(client.stats().retries).toBe(faults);
    expect(client.stats().total).toBe(emulator.stats().total);
  });

  it("retries reset connections", async () => {
    emulator.configure({ resetRate: 0.3 });
    const customers = await collect(listCustomers(client, { limit: 10 }));
    expect(customers).toHaveLength(250);
    const resets = emulator.stats().resets;
    expect(resets).toBeGreaterThan(0);
    expect(client.stats().networkErrors).toBe(resets);
  });

  it("waits out 429s (Retry-After when sent), paces itself, and loses nothing", async () => {
    emulator.configure({ rateLimit: 40 });
    const waits: number[] = [];
    await client.close();
    client = clientFor(emulator, {
      initialConcurrency: 16,
      retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 20 },
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => retrieveGroup(client, `G${String(i).padStart(4, "0")}`)),
    );
    expect(results.every((g) => g !== undefined)).toBe(true);
    const limited = emulator.stats().rateLimited;
    expect(limited).toBeGreaterThan(0);
    expect(client.stats().rateLimited).toBe(limited);
    // The emulator sends Retry-After (whole seconds) on every other 429: those waits are exact.
    expect(waits.some((ms) => ms >= 1000 && ms % 1000 === 0)).toBe(true);
    // The limiter now paces starts near the limit (80% of what succeeded in the last second).
    expect(client.stats().pacedRate).toBeGreaterThan(5);
    expect(client.stats().pacedRate).toBeLessThan(80);
  });

  it("gives up after maxAttempts and says how often it tried", async () => {
    emulator.configure({ faultRate: 1 });
    await client.close();
    client = clientFor(emulator, { retry: { maxAttempts: 3, baseDelayMs: 1 } });
    const error = await rejectionOf(collect(listGroups(client)));
    expect(error).toBeInstanceOf(SquareServerError);
    expect(error).toMatchObject({
      code: "GS_SQUARE_SERVER_ERROR",
      attempts: 3,
      operation: "ListCustomerGroups",
    });
    expect(emulator.stats().total).toBe(3);
  });

  it("never retries a 4xx other than 429", async () => {
    const error = await rejectionOf(collect(listGroups(client, { limit: 500 })));
    expect(error).toBeInstanceOf(SquareApiError);
    expect(error).toMatchObject({
      code: "GS_SQUARE_BAD_REQUEST",
      status: 400,
      squareCode: "VALUE_TOO_HIGH",
      attempts: 1,
    });
    expect(emulator.stats().total).toBe(1);
  });
});

describe("auth errors and the token", () => {
  it("401 tells to check SQUARE_ACCESS_TOKEN and the environment, without the token", async () => {
    const bad = clientFor(emulator, { token: SENTINEL });
    const error = await rejectionOf(collect(listGroups(bad)));
    await bad.close();
    expect(error).toBeInstanceOf(SquareAuthError);
    expect(error).toMatchObject({
      code: "GS_SQUARE_UNAUTHORIZED",
      status: 401,
      category: "AUTHENTICATION_ERROR",
    });
    // The library names no environment variable: the CLI maps the code to its own hint.
    expect((error as SquareAuthError).hint).toMatch(/access token.*environment/);
    expect(emulator.stats().total).toBe(1);
    expect(serializeError(error)).not.toContain(SENTINEL);
  });

  it("403 on a write names the missing CUSTOMERS_WRITE scope", async () => {
    const readOnly = clientFor(emulator, { token: emulator.readOnlyToken });
    const error = await rejectionOf(createGroup(readOnly, "New", "key-1"));
    await readOnly.close();
    expect(error).toMatchObject({
      code: "GS_SQUARE_FORBIDDEN",
      status: 403,
      squareCode: "INSUFFICIENT_SCOPES",
    });
    expect((error as SquareAuthError).hint).toMatch(/CUSTOMERS_WRITE/);
    expect(serializeError(error)).not.toContain(emulator.readOnlyToken);
  });

  it("keeps the token out of every error and log line, whatever fails", async () => {
    const lines: string[] = [];
    const errors: unknown[] = [];
    const sentinelEmulator = await startEmulator({ token: SENTINEL, randomSeed: 3 });
    const make = (extra: Parameters<typeof clientFor>[1] = {}) =>
      clientFor(sentinelEmulator, {
        retry: { maxAttempts: 2, baseDelayMs: 1 },
        logger: (l) => lines.push(l),
        ...extra,
      });
    const c = make();
    sentinelEmulator.configure({ faultRate: 1 });
    errors.push(await rejectionOf(collect(listGroups(c))));
    sentinelEmulator.configure({ faultRate: 0, resetRate: 1 });
    errors.push(await rejectionOf(collect(listGroups(c))));
    sentinelEmulator.configure({ resetRate: 0 });
    errors.push(await rejectionOf(collect(listGroups(c, { limit: 0 }))));
    errors.push(await rejectionOf(createGroup(c, "x".repeat(300), "k")));
    await c.close();
    await sentinelEmulator.stop();
    const refused = make();
    errors.push(await rejectionOf(collect(listGroups(refused))));
    await refused.close();
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      "GS_SQUARE_SERVER_ERROR",
      "GS_SQUARE_NETWORK_ERROR",
      "GS_SQUARE_BAD_REQUEST",
      "GS_SQUARE_BAD_REQUEST",
      "GS_SQUARE_NETWORK_ERROR",
    ]);
    expect(errors[4]).toBeInstanceOf(SquareNetworkError);
    for (const error of errors) expect(serializeError(error)).not.toContain(SENTINEL);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.join("\n")).not.toContain(SENTINEL);
    expect(JSON.stringify(c.stats())).not.toContain(SENTINEL);
  });
});
