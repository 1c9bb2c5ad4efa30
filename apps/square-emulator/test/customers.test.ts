import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type SquareCustomer } from "../src/index.js";
import { call, firstError } from "./helpers.js";

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.stop();
});
beforeEach(() => {
  em.reset({ groups: [], customers: [] });
});

describe("customer profiles", () => {
  it("creates a profile as THIRD_PARTY at version 0 and retrieves it", async () => {
    const created = await call(em, "POST", "/v2/customers", {
      given_name: "Ada",
      email_address: "Ada@Example.com",
      phone_number: "+1 415-555-0100",
    });
    expect(created.status).toBe(200);
    const customer = created.body["customer"] as SquareCustomer;
    expect(customer).toMatchObject({
      given_name: "Ada",
      email_address: "Ada@Example.com",
      phone_number: "+1 415-555-0100",
      creation_source: "THIRD_PARTY",
      version: 0,
    });
    expect(customer.created_at).toBe(customer.updated_at);
    const got = await call(em, "GET", `/v2/customers/${customer.id}`);
    expect(got.body).toEqual({ customer });
  });

  it.each([
    ["no public field", { note: "hi" }, "MISSING_REQUIRED_PARAMETER", undefined],
    ["an invalid email", { email_address: "not-an-email" }, "INVALID_EMAIL_ADDRESS", "email_address"],
    ["an invalid phone", { phone_number: "12345" }, "INVALID_PHONE_NUMBER", "phone_number"],
    ["a phone with letters", { phone_number: "+1 415 CALL NOW" }, "INVALID_PHONE_NUMBER", "phone_number"],
    ["a given name of 301 characters", { given_name: "x".repeat(301) }, "VALUE_TOO_LONG", "given_name"],
    ["a company of 501 characters", { company_name: "x".repeat(501) }, "VALUE_TOO_LONG", "company_name"],
    ["a number for a name", { given_name: 7 }, "EXPECTED_STRING", "given_name"],
    [
      "an empty idempotency key",
      { given_name: "A", idempotency_key: "" },
      "VALUE_TOO_SHORT",
      "idempotency_key",
    ],
  ])("rejects a create with %s", async (_label, body, code, field) => {
    const reply = await call(em, "POST", "/v2/customers", body);
    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({ code, category: "INVALID_REQUEST_ERROR" });
    if (field) expect(firstError(reply).field).toBe(field);
  });

  it("creates once per idempotency key", async () => {
    const body = { idempotency_key: "create-ada", given_name: "Ada" };
    const a = await call(em, "POST", "/v2/customers", body);
    const b = await call(em, "POST", "/v2/customers", body);
    expect(b.body).toEqual(a.body);
    expect(em.store.snapshot().customers).toHaveLength(1);
    const c = await call(em, "POST", "/v2/customers", { idempotency_key: "create-ada", given_name: "Grace" });
    expect(firstError(c).code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("answers 404 NOT_FOUND for an unknown ID", async () => {
    const reply = await call(em, "GET", "/v2/customers/NOPE");
    expect(reply.status).toBe(404);
    expect(firstError(reply)).toEqual({
      category: "INVALID_REQUEST_ERROR",
      code: "NOT_FOUND",
      detail: "Customer with ID `NOPE` not found.",
      field: "customer_id",
    });
  });

  it("bulk-retrieves with a per-ID NOT_FOUND inside a 200", async () => {
    const ada = em.store.addCustomer({ given_name: "Ada" });
    const reply = await call(em, "POST", "/v2/customers/bulk-retrieve", {
      customer_ids: [ada.id, "MISSING"],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      responses: {
        [ada.id]: { customer: ada },
        MISSING: {
          errors: [
            {
              category: "INVALID_REQUEST_ERROR",
              code: "NOT_FOUND",
              detail: "Customer with ID `MISSING` not found.",
            },
          ],
        },
      },
    });
  });

  it.each([
    [{ customer_ids: [] }, "ARRAY_LENGTH_TOO_SHORT"],
    [{ customer_ids: Array.from({ length: 101 }, (_, i) => `ID${i}`) }, "ARRAY_LENGTH_TOO_LONG"],
    [{}, "MISSING_REQUIRED_PARAMETER"],
    [{ customer_ids: [1] }, "INVALID_ARRAY_VALUE"],
    [{ customer_ids: "A" }, "EXPECTED_ARRAY"],
  ])("rejects bulk-retrieve %j with %s", async (body, code) => {
    const reply = await call(em, "POST", "/v2/customers/bulk-retrieve", body);
    expect(reply.status).toBe(400);
    expect(firstError(reply).code).toBe(code);
  });

  it("updates sparsely, clears with null, bumps version and updated_at, checks version", async () => {
    const ada = em.store.addCustomer({
      given_name: "Ada",
      family_name: "Lovelace",
      created_at: "2020-01-01T00:00:00.000Z",
    });
    const reply = await call(em, "PUT", `/v2/customers/${ada.id}`, {
      family_name: null,
      nickname: "Countess",
      version: 0,
    });
    expect(reply.status).toBe(200);
    const updated = reply.body["customer"] as SquareCustomer;
    expect(updated.family_name).toBeUndefined();
    expect(updated).toMatchObject({ given_name: "Ada", nickname: "Countess", version: 1 });
    expect(updated.updated_at > ada.updated_at).toBe(true);
    const stale = await call(em, "PUT", `/v2/customers/${ada.id}`, { nickname: "x", version: 0 });
    expect(stale.status).toBe(400);
    expect(firstError(stale)).toMatchObject({ code: "CONFLICT", field: "version" });
  });

  it("deletes a profile (with a matching version)", async () => {
    const ada = em.store.addCustomer({ given_name: "Ada" });
    const wrong = await call(em, "DELETE", `/v2/customers/${ada.id}?version=3`);
    expect(firstError(wrong).code).toBe("CONFLICT");
    const ok = await call(em, "DELETE", `/v2/customers/${ada.id}?version=0`);
    expect(ok).toMatchObject({ status: 200, body: {} });
    expect((await call(em, "GET", `/v2/customers/${ada.id}`)).status).toBe(404);
  });

  it("adds and removes a group: 200 {}, group_ids kept, version bumped once per change", async () => {
    const group = em.store.addGroup("VIP");
    const ada = em.store.addCustomer({ given_name: "Ada" });
    const path = `/v2/customers/${ada.id}/groups/${group.id}`;
    expect(await call(em, "PUT", path)).toMatchObject({ status: 200, body: {} });
    expect(await call(em, "PUT", path)).toMatchObject({ status: 200, body: {} });
    let current = em.store.getCustomer(ada.id);
    expect(current).toMatchObject({ group_ids: [group.id], version: 1 });
    expect(Date.parse(current?.updated_at ?? "")).toBeGreaterThanOrEqual(Date.parse(ada.updated_at));
    expect(await call(em, "DELETE", path)).toMatchObject({ status: 200, body: {} });
    current = em.store.getCustomer(ada.id);
    expect(current?.group_ids).toBeUndefined();
    expect(current?.version).toBe(2);
  });

  it("answers 404 for membership changes of unknown customers or groups", async () => {
    const group = em.store.addGroup("VIP");
    const ada = em.store.addCustomer({ given_name: "Ada" });
    const noCustomer = await call(em, "PUT", `/v2/customers/NOPE/groups/${group.id}`);
    expect(noCustomer.status).toBe(404);
    expect(firstError(noCustomer).detail).toBe("Customer with ID `NOPE` not found.");
    const noGroup = await call(em, "DELETE", `/v2/customers/${ada.id}/groups/NOPE`);
    expect(noGroup.status).toBe(404);
    expect(firstError(noGroup)).toMatchObject({ code: "NOT_FOUND", field: "group_id" });
  });

  it("bulk-creates with per-entry results and per-key idempotency", async () => {
    const body = { customers: { k1: { given_name: "Ada" }, k2: { email_address: "bad" } } };
    const reply = await call(em, "POST", "/v2/customers/bulk-create", body);
    expect(reply.status).toBe(200);
    const responses = reply.body["responses"] as Record<
      string,
      { customer?: SquareCustomer; errors?: unknown[] }
    >;
    expect(responses["k1"]?.customer?.given_name).toBe("Ada");
    expect(responses["k2"]?.errors).toEqual([
      expect.objectContaining({ code: "INVALID_EMAIL_ADDRESS", field: "customers.k2.email_address" }),
    ]);
    const again = await call(em, "POST", "/v2/customers/bulk-create", {
      customers: { k1: { given_name: "Ada" } },
    });
    expect((again.body["responses"] as Record<string, unknown>)["k1"]).toEqual(responses["k1"]);
    expect(em.store.snapshot().customers).toHaveLength(1);
  });

  // Square's spec (customers-openapi.json, BulkCreateCustomersRequest/Response): `customers` is a
  // map of 1 to 100 `idempotency key: data` pairs; `responses` is keyed by the same keys, each
  // with `customer` or `errors`, never both; top-level `errors` only when nothing ran.
  it.each([
    ["no entries", { customers: {} }, "ARRAY_LENGTH_TOO_SHORT"],
    [
      "101 entries",
      {
        customers: Object.fromEntries(
          Array.from({ length: 101 }, (_, i) => [`k${i}`, { email_address: `p${i}@example.com` }]),
        ),
      },
      "TOO_MANY_MAP_ENTRIES",
    ],
    ["no customers", {}, "MISSING_REQUIRED_PARAMETER"],
    ["customers as a list", { customers: [{ given_name: "Ada" }] }, "EXPECTED_OBJECT"],
  ])("refuses a bulk create with %s as a whole (400, nothing created)", async (_name, body, code) => {
    const reply = await call(em, "POST", "/v2/customers/bulk-create", body);
    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({ code, field: "customers" });
    expect(reply.body["responses"]).toBeUndefined();
    expect(em.store.snapshot().customers).toHaveLength(0);
  });

  it("bulk-creates 100 at once; a key reused for other data fails alone, naming its entry", async () => {
    const customers = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`key-${i}`, { email_address: `p${i}@example.com` }]),
    );
    const reply = await call(em, "POST", "/v2/customers/bulk-create", { customers });
    expect(reply.status).toBe(200);
    const responses = reply.body["responses"] as Record<string, { customer?: SquareCustomer }>;
    expect(Object.keys(responses).sort()).toEqual(Object.keys(customers).sort());
    expect(new Set(Object.values(responses).map((r) => r.customer?.id)).size).toBe(100);

    const mixed = await call(em, "POST", "/v2/customers/bulk-create", {
      customers: {
        "key-0": { email_address: "p0@example.com" }, // replayed: the same profile
        "key-1": { email_address: "someone-else@example.com" }, // reused for other data
        "key-new": { email_address: "fresh@example.com" },
        ["x".repeat(129)]: { email_address: "long@example.com" },
      },
    });
    expect(mixed.status).toBe(200);
    const answers = mixed.body["responses"] as Record<
      string,
      { customer?: SquareCustomer; errors?: Array<Record<string, string>> }
    >;
    expect(answers["key-0"]).toEqual(responses["key-0"]);
    expect(answers["key-1"]).toEqual({
      errors: [expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED", field: "customers.key-1" })],
    });
    expect(answers["key-new"]?.customer?.email_address).toBe("fresh@example.com");
    expect(answers["x".repeat(129)]?.errors?.[0]?.code).toBe("VALUE_TOO_LONG");
    expect(em.store.snapshot().customers).toHaveLength(101);
  });
});
