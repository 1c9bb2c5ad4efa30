import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, firstError } from "./helpers.js";

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ token: "full-token" });
});
afterAll(async () => {
  await em.stop();
});
beforeEach(() => {
  em.reset({ groups: [], customers: [] });
});

describe("customer groups", () => {
  it("lists nothing as {} on an empty account", async () => {
    const reply = await call(em, "GET", "/v2/customers/groups");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({});
  });

  it("creates, retrieves, renames and deletes a group", async () => {
    const created = await call(em, "POST", "/v2/customers/groups", { group: { name: "VIP" } });
    expect(created.status).toBe(200);
    const group = created.body["group"] as {
      id: string;
      name: string;
      created_at: string;
      updated_at: string;
    };
    expect(group.name).toBe("VIP");
    expect(group.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(created.headers["square-version"]).toBe("2025-08-20");

    const got = await call(em, "GET", `/v2/customers/groups/${group.id}`);
    expect(got.body).toEqual({ group });

    const renamed = await call(em, "PUT", `/v2/customers/groups/${group.id}`, { group: { name: "V.I.P." } });
    expect(renamed.status).toBe(200);
    expect((renamed.body["group"] as { name: string }).name).toBe("V.I.P.");

    const deleted = await call(em, "DELETE", `/v2/customers/groups/${group.id}`);
    expect(deleted).toMatchObject({ status: 200, body: {} });
    const gone = await call(em, "GET", `/v2/customers/groups/${group.id}`);
    expect(gone.status).toBe(404);
    expect(firstError(gone)).toMatchObject({ code: "NOT_FOUND", category: "INVALID_REQUEST_ERROR" });
  });

  it("allows duplicate names (Square does not promise unique names)", async () => {
    const a = await call(em, "POST", "/v2/customers/groups", { group: { name: "Same" } });
    const b = await call(em, "POST", "/v2/customers/groups", { group: { name: "Same" } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body["group"]).not.toEqual(b.body["group"]);
  });

  it("pages with an opaque cursor present only while more groups exist", async () => {
    for (let i = 0; i < 7; i++) em.store.addGroup(`Group ${i}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const reply = await call(em, "GET", `/v2/customers/groups?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(reply.status).toBe(200);
      const groups = reply.body["groups"] as Array<{ name: string }>;
      seen.push(...groups.map((g) => g.name));
      cursor = reply.body["cursor"] as string | undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Group ${i}`));
  });

  it.each([
    ["0", "VALUE_TOO_LOW"],
    ["51", "VALUE_TOO_HIGH"],
    ["-3", "VALUE_TOO_LOW"],
    ["ten", "INVALID_VALUE"],
  ])("rejects limit=%s with %s", async (limit, code) => {
    const reply = await call(em, "GET", `/v2/customers/groups?limit=${limit}`);
    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({ code, field: "limit", category: "INVALID_REQUEST_ERROR" });
  });

  it("rejects a bad cursor with 400 INVALID_CURSOR", async () => {
    const reply = await call(em, "GET", "/v2/customers/groups?cursor=not-a-cursor");
    expect(reply.status).toBe(400);
    expect(firstError(reply).code).toBe("INVALID_CURSOR");
  });

  it.each([
    ["an unknown top-level field", { group: { name: "x" }, colour: "red" }, "BAD_REQUEST"],
    ["an unknown group field", { group: { name: "x", colour: "red" } }, "BAD_REQUEST"],
    ["no group", {}, "MISSING_REQUIRED_PARAMETER"],
    ["no name", { group: {} }, "MISSING_REQUIRED_PARAMETER"],
    ["a blank name", { group: { name: "  " } }, "VALUE_TOO_SHORT"],
    ["a name of 256 characters", { group: { name: "x".repeat(256) } }, "VALUE_TOO_LONG"],
    ["a name that is no string", { group: { name: 42 } }, "EXPECTED_STRING"],
    [
      "an idempotency key of 129 characters",
      { idempotency_key: "k".repeat(129), group: { name: "x" } },
      "VALUE_TOO_LONG",
    ],
  ])("rejects a create with %s", async (_label, body, code) => {
    const reply = await call(em, "POST", "/v2/customers/groups", body);
    expect(reply.status).toBe(400);
    expect(firstError(reply).code).toBe(code);
    expect(em.store.groups()).toEqual([]);
  });

  it("accepts a name of 255 characters", async () => {
    const reply = await call(em, "POST", "/v2/customers/groups", { group: { name: "x".repeat(255) } });
    expect(reply.status).toBe(200);
  });

  it("rejects unknown fields on update and unknown IDs", async () => {
    const group = em.store.addGroup("A");
    const bad = await call(em, "PUT", `/v2/customers/groups/${group.id}`, { group: { name: "B" }, extra: 1 });
    expect(bad.status).toBe(400);
    expect(firstError(bad).code).toBe("BAD_REQUEST");
    const idem = await call(em, "PUT", `/v2/customers/groups/${group.id}`, {
      idempotency_key: "k",
      group: { name: "B" },
    });
    expect(firstError(idem)).toMatchObject({ code: "BAD_REQUEST", field: "idempotency_key" });
    const missing = await call(em, "PUT", "/v2/customers/groups/NOPE", { group: { name: "B" } });
    expect(missing.status).toBe(404);
    const del = await call(em, "DELETE", "/v2/customers/groups/NOPE");
    expect(del.status).toBe(404);
    expect(firstError(del).code).toBe("NOT_FOUND");
  });

  it("replays the first response for the same idempotency key and body", async () => {
    const body = { idempotency_key: "plan-1/group.vip", group: { name: "VIP" } };
    const first = await call(em, "POST", "/v2/customers/groups", body);
    const again = await call(em, "POST", "/v2/customers/groups", {
      group: { name: "VIP" },
      idempotency_key: "plan-1/group.vip",
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(em.store.groups()).toHaveLength(1);
  });

  it("answers 400 IDEMPOTENCY_KEY_REUSED for the same key with another body", async () => {
    await call(em, "POST", "/v2/customers/groups", { idempotency_key: "k1", group: { name: "VIP" } });
    const reply = await call(em, "POST", "/v2/customers/groups", {
      idempotency_key: "k1",
      group: { name: "Other" },
    });
    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      category: "INVALID_REQUEST_ERROR",
    });
    expect(em.store.groups()).toHaveLength(1);
  });

  it("takes a deleted group off its members' group_ids and bumps their version", async () => {
    const group = em.store.addGroup("Gone");
    const customer = em.store.addCustomer({ given_name: "Ada", group_ids: [group.id] });
    await call(em, "DELETE", `/v2/customers/groups/${group.id}`);
    const got = await call(em, "GET", `/v2/customers/${customer.id}`);
    const after = got.body["customer"] as { group_ids?: string[]; version: number };
    expect(after.group_ids).toBeUndefined();
    expect(after.version).toBe(1);
  });
});
