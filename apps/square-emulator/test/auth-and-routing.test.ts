import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, firstError } from "./helpers.js";

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ token: "full", readOnlyToken: "read-only" });
});
afterAll(async () => {
  await em.stop();
});

describe("auth", () => {
  it("answers 401 UNAUTHORIZED without a token", async () => {
    const reply = await call(em, "GET", "/v2/customers/groups", undefined, { token: null });
    expect(reply.status).toBe(401);
    expect(firstError(reply)).toMatchObject({ category: "AUTHENTICATION_ERROR", code: "UNAUTHORIZED" });
  });

  it("answers 401 UNAUTHORIZED for an unknown token, without echoing it", async () => {
    const reply = await call(em, "GET", "/v2/customers/groups", undefined, { token: "stolen-token" });
    expect(reply.status).toBe(401);
    expect(firstError(reply).code).toBe("UNAUTHORIZED");
    expect(JSON.stringify(reply.body)).not.toContain("stolen-token");
  });

  it("lets a read-only token read but answers 403 INSUFFICIENT_SCOPES on writes", async () => {
    const read = await call(em, "GET", "/v2/customers/groups", undefined, { token: "read-only" });
    expect(read.status).toBe(200);
    const search = await call(em, "POST", "/v2/customers/search", {}, { token: "read-only" });
    expect(search.status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/v2/customers/groups", { group: { name: "x" } }],
      ["PUT", "/v2/customers/C/groups/G", undefined],
      ["DELETE", "/v2/customers/C/groups/G", undefined],
      ["POST", "/v2/customers", { given_name: "x" }],
    ] as const) {
      const reply = await call(em, method, path, body, { token: "read-only" });
      expect(reply.status).toBe(403);
      expect(firstError(reply)).toMatchObject({
        category: "AUTHENTICATION_ERROR",
        code: "INSUFFICIENT_SCOPES",
      });
    }
  });

  it("checks the Square-Version header", async () => {
    const bad = await call(em, "GET", "/v2/customers/groups", undefined, {
      headers: { "square-version": "latest" },
    });
    expect(bad.status).toBe(400);
    expect(firstError(bad).code).toBe("INVALID_SQUARE_VERSION_FORMAT");
    const old = await call(em, "GET", "/v2/customers/groups", undefined, {
      headers: { "square-version": "2019-01-01" },
    });
    expect(firstError(old).code).toBe("API_VERSION_INCOMPATIBLE");
    const ok = await call(em, "GET", "/v2/customers/groups", undefined, {
      headers: { "square-version": "2024-01-18" },
    });
    expect(ok.headers["square-version"]).toBe("2024-01-18");
  });
});

describe("routing and bodies", () => {
  it("answers 404 NOT_FOUND for an unknown route or method", async () => {
    const a = await call(em, "GET", "/v2/orders");
    expect(a.status).toBe(404);
    expect(firstError(a)).toMatchObject({ code: "NOT_FOUND", category: "INVALID_REQUEST_ERROR" });
    const b = await call(em, "PATCH" as "PUT", "/v2/customers/groups");
    expect(b.status).toBe(404);
  });

  it("answers 400 BAD_REQUEST for malformed JSON and EXPECTED_JSON_BODY for a non-object", async () => {
    const bad = await call(em, "POST", "/v2/customers/search", undefined, { rawBody: "{not json" });
    expect(bad.status).toBe(400);
    expect(firstError(bad).code).toBe("BAD_REQUEST");
    const list = await call(em, "POST", "/v2/customers/search", undefined, { rawBody: "[1,2]" });
    expect(firstError(list).code).toBe("EXPECTED_JSON_BODY");
  });

  it("counts calls per operation and zeroes them on reset", async () => {
    await call(em, "POST", "/_emulator/reset");
    await call(em, "GET", "/v2/customers/groups");
    await call(em, "GET", "/v2/customers/groups");
    await call(em, "POST", "/v2/customers/bulk-retrieve", { customer_ids: ["X"] });
    await call(em, "GET", "/v2/nowhere");
    const reply = await call(em, "GET", "/_emulator/stats");
    expect(reply.body).toEqual({
      calls: { ListCustomerGroups: 2, BulkRetrieveCustomers: 1 },
      total: 4,
      rateLimited: 0,
      faults: 0,
      resets: 0,
    });
    expect(em.stats()).toEqual(reply.body);
    await call(em, "POST", "/_emulator/reset");
    expect(em.stats().total).toBe(0);
  });

  it("keeps the connection usable across requests (keep-alive)", async () => {
    const a = await request(`${em.url}/v2/customers/groups`, { headers: { authorization: "Bearer full" } });
    await a.body.text();
    const b = await request(`${em.url}/v2/customers/groups`, { headers: { authorization: "Bearer full" } });
    expect(b.statusCode).toBe(200);
    await b.body.text();
  });
});
