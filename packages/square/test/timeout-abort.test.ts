import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { diff } from "@groupsync/core";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyPlan,
  readLiveState,
  listGroups,
  retrieveGroup,
  SquareAbortedError,
  SquareTimeoutError,
  createSquareClient,
} from "../src/index.js";
import { desired, email, group } from "@groupsync/core/test-support";
import { clientFor, rejectionOf } from "./helpers.js";

const TOKEN = "EAAAtimeout-SECRET-token-4242";

/** A TCP server that accepts every connection and never answers a byte. */
async function startSilentServer(): Promise<{
  url: string;
  connections: () => number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.resume(); // read the request, answer nothing
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("a server that accepts and never answers", () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await silent.close();
  });

  it("times each try out, retries it, then names the endpoint and the tries (never the token)", async () => {
    const client = createSquareClient({
      token: TOKEN,
      baseUrl: silent.url,
      requestTimeoutMs: 100,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const before = silent.connections();
    const error = (await rejectionOf(retrieveGroup(client, "GROUP1"))) as SquareTimeoutError;
    expect(error).toBeInstanceOf(SquareTimeoutError);
    expect(error.code).toBe("GS_SQUARE_TIMEOUT");
    expect(error.message).toBe(
      "Square did not answer RetrieveCustomerGroup (GET /v2/customers/groups/GROUP1) within 100 ms (3 tries).",
    );
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(TOKEN);
    expect(client.stats()).toMatchObject({ total: 3, retries: 2, networkErrors: 3 });
    // The server did get the tries: it accepted their connections.
    expect(silent.connections() - before).toBeGreaterThanOrEqual(3);
    await client.close();
  });

  it("waiting() names the request in flight the longest, its wait and its try", async () => {
    let now = 1_000;
    const client = createSquareClient({
      token: TOKEN,
      baseUrl: silent.url,
      requestTimeoutMs: 500,
      retry: { maxAttempts: 1 },
      now: () => now,
    });
    expect(client.waiting()).toBeUndefined();
    const listing = rejectionOf(listGroups(client)[Symbol.asyncIterator]().next());
    await new Promise((resolve) => setTimeout(resolve, 20));
    now += 12_000;
    expect(client.waiting()).toMatchObject({
      operation: "ListCustomerGroups",
      method: "GET",
      path: "/v2/customers/groups",
      waitingMs: 12_000,
      attempt: 1,
    });
    expect(await listing).toBeInstanceOf(SquareTimeoutError);
    expect(client.waiting()).toBeUndefined();
    await client.close();
  });
});

describe("stopping the client with an abort signal", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ randomSeed: 3 });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it("sends nothing once aborted", async () => {
    const controller = new AbortController();
    const client = clientFor(emulator, { signal: controller.signal });
    const group = emulator.store.addGroup("Kept");
    await retrieveGroup(client, group.id);
    controller.abort();
    const error = await rejectionOf(retrieveGroup(client, group.id));
    expect(error).toBeInstanceOf(SquareAbortedError);
    expect(error).toMatchObject({
      code: "GS_SQUARE_ABORTED",
      operation: "RetrieveCustomerGroup",
      inFlight: false,
    });
    expect(client.stats().total).toBe(1);
    await client.close();
  });

  it("lets a request in flight finish within the grace period, and rejects the ones waiting for a slot", async () => {
    emulator.configure({ latencyMs: 150 });
    const group = emulator.store.addGroup("Slow");
    const controller = new AbortController();
    const client = clientFor(emulator, { signal: controller.signal, maxConcurrency: 1, abortGraceMs: 2_000 });
    const first = retrieveGroup(client, group.id);
    const second = rejectionOf(retrieveGroup(client, group.id));
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    await expect(first).resolves.toMatchObject({ id: group.id });
    expect(await second).toMatchObject({ code: "GS_SQUARE_ABORTED", inFlight: false });
    expect(client.stats().total).toBe(1);
    emulator.configure({ latencyMs: 0 });
    await client.close();
  });

  it("abandons a request still in flight after the grace period: its outcome is unknown", async () => {
    emulator.configure({ latencyMs: 2_000 });
    const group = emulator.store.addGroup("Hanging");
    const controller = new AbortController();
    const client = clientFor(emulator, { signal: controller.signal, abortGraceMs: 50 });
    const pending = rejectionOf(retrieveGroup(client, group.id));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const abortedAt = performance.now();
    controller.abort();
    expect(await pending).toMatchObject({ code: "GS_SQUARE_ABORTED", inFlight: true });
    // Well before the answer would have come.
    expect(performance.now() - abortedAt).toBeLessThan(1_500);
    emulator.configure({ latencyMs: 0 });
    await client.close();
  });

  it("cuts a wait between retries short", async () => {
    emulator.configure({ faultRate: 1 });
    const group = emulator.store.addGroup("Failing");
    const controller = new AbortController();
    const client = clientFor(emulator, {
      signal: controller.signal,
      retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, maxElapsedMs: 600_000 },
      random: () => 0.99,
    });
    const pending = rejectionOf(retrieveGroup(client, group.id));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ code: "GS_SQUARE_ABORTED", inFlight: false });
    expect(client.stats().total).toBe(1);
    emulator.configure({ faultRate: 0 });
    await client.close();
  });
});

describe("applyPlan with an abort signal", () => {
  const T0 = Date.parse("2024-01-01T00:00:00Z");
  const seed = (): SeedData => ({
    groups: [
      {
        id: "G1",
        name: "Team",
        created_at: new Date(T0).toISOString(),
        updated_at: new Date(T0).toISOString(),
      },
    ],
    customers: Array.from({ length: 60 }, (_, i) => ({
      id: `C${String(i).padStart(3, "0")}`,
      created_at: new Date(T0 + i * 1000).toISOString(),
      updated_at: new Date(T0 + i * 1000).toISOString(),
      email_address: `p${i}@example.com`,
      group_ids: [],
      version: 0,
    })),
  });
  const team = desired([
    group("team", { name: "Team", rules: Array.from({ length: 60 }, (_, i) => email(`p${i}@example.com`)) }),
  ]);

  it("starts nothing once aborted, lets what is in flight finish, and says what was not done", async () => {
    const emulator = await startEmulator({ seed: seed(), randomSeed: 4 });
    const controller = new AbortController();
    const client = clientFor(emulator, { signal: controller.signal, maxConcurrency: 4 });
    try {
      const plan = diff(team, await readLiveState(client, team));
      expect(plan.actions.filter((a) => a.type === "add_member")).toHaveLength(60);
      emulator.configure({ latencyMs: 30 });
      const adds = () => emulator.stats().calls["AddGroupToCustomer"] ?? 0;
      const bulkBefore = emulator.stats().calls["BulkRetrieveCustomers"] ?? 0;
      const watcher = setInterval(() => {
        if (adds() >= 10) controller.abort();
      }, 1);
      const result = await applyPlan(client, plan, {
        checkPreconditions: false,
        concurrency: 4,
        signal: controller.signal,
      });
      clearInterval(watcher);
      const done = result.results.filter((r) => r.status === "done");
      const skipped = result.results.filter((r) => r.status === "skipped");
      expect(result.stopped).toBe(true);
      expect(result.ok).toBe(false);
      // What was in flight when the signal came finished: every add sent is done, none twice.
      expect(done.length).toBe(adds());
      expect(done.length).toBeGreaterThanOrEqual(10);
      expect(done.length).toBeLessThan(60);
      expect(done.length + skipped.length).toBe(60);
      for (const r of skipped) expect(r.error).toMatchObject({ code: "GS_SQUARE_ABORTED" });
      const members = emulator.store.snapshot().customers.filter((c) => (c.group_ids ?? []).includes("G1"));
      expect(members).toHaveLength(done.length);
      // No read-back after a stop.
      expect(emulator.stats().calls["BulkRetrieveCustomers"] ?? 0).toBe(bulkBefore);
    } finally {
      await client.close();
      await emulator.stop();
    }
  });
});
