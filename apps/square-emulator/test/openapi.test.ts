import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSeed, startEmulator, type Emulator } from "../src/index.js";
import { call, type Reply } from "./helpers.js";

// Square's published OpenAPI definition (square-api/customers-openapi.json, copied as a fixture).
const spec = JSON.parse(
  readFileSync(new URL("./fixtures/customers-openapi.json", import.meta.url), "utf8"),
) as {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

// OpenAPI 3.0 -> JSON Schema for ajv. Stricter than the spec: an object schema with properties admits no other fields, so a
// misspelt field name in an emulator response fails validation.
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (typeof node === "object" && node !== null) {
    const o = node as Record<string, unknown>;
    if (o["properties"] && o["additionalProperties"] === undefined) o["additionalProperties"] = false;
    // OpenAPI 3.0 puts `nullable` beside `$ref`; ajv wants a `type` with it (the emulator sends no nulls).
    if (o["nullable"] !== undefined && o["type"] === undefined) delete o["nullable"];
    Object.values(o).forEach(closeObjects);
  }
}
closeObjects(spec.components.schemas);

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "square", components: spec.components });

const validators = new Map<string, ValidateFunction>();
for (const methods of Object.values(spec.paths)) {
  for (const op of Object.values(methods)) {
    const ok = op.responses["200"] as { content: { "application/json": { schema: { $ref: string } } } };
    validators.set(
      op.operationId,
      ajv.compile({ $ref: `square${ok.content["application/json"].schema.$ref}` }),
    );
  }
}

const checked = new Set<string>();
function expectValid(operation: string, reply: Reply): void {
  const validate = validators.get(operation);
  if (!validate) throw new Error(`no schema for ${operation}`);
  const valid = validate(reply.body);
  expect(
    valid,
    `${operation} ${reply.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(reply.body)}`,
  ).toBe(true);
  checked.add(operation);
}

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({
    seed: generateSeed({ customers: 400, groups: 5, seed: 11 }),
    readOnlyToken: "ro",
  });
});
afterAll(async () => {
  await em.stop();
});

describe("responses validate against Square's OpenAPI schemas", () => {
  it("for every operation, on success and on error", async () => {
    const g = (
      await call(em, "POST", "/v2/customers/groups", { idempotency_key: "k", group: { name: "VIP" } })
    ).body["group"] as { id: string };
    expectValid(
      "CreateCustomerGroup",
      await call(em, "POST", "/v2/customers/groups", { group: { name: "VIP" } }),
    );
    expectValid("CreateCustomerGroup", await call(em, "POST", "/v2/customers/groups", { group: {} }));
    expectValid("ListCustomerGroups", await call(em, "GET", "/v2/customers/groups?limit=2"));
    expectValid("ListCustomerGroups", await call(em, "GET", "/v2/customers/groups?limit=99"));
    expectValid("RetrieveCustomerGroup", await call(em, "GET", `/v2/customers/groups/${g.id}`));
    expectValid("RetrieveCustomerGroup", await call(em, "GET", "/v2/customers/groups/NOPE"));
    expectValid(
      "UpdateCustomerGroup",
      await call(em, "PUT", `/v2/customers/groups/${g.id}`, { group: { name: "V" } }),
    );
    expectValid(
      "UpdateCustomerGroup",
      await call(em, "PUT", `/v2/customers/groups/${g.id}`, { group: { name: "V" }, x: 1 }),
    );

    const created = await call(em, "POST", "/v2/customers", {
      given_name: "Ada",
      email_address: "ada@example.com",
      phone_number: "+14155550100",
      address: { address_line_1: "1 Main St", locality: "Springfield", country: "US" },
      birthday: "1815-12-10",
      note: "first programmer",
      reference_id: "ref-1",
    });
    expectValid("CreateCustomer", created);
    expectValid("CreateCustomer", await call(em, "POST", "/v2/customers", { email_address: "nope" }));
    const id = (created.body["customer"] as { id: string }).id;
    expectValid("AddGroupToCustomer", await call(em, "PUT", `/v2/customers/${id}/groups/${g.id}`));
    expectValid("AddGroupToCustomer", await call(em, "PUT", `/v2/customers/${id}/groups/NOPE`));
    expectValid("RetrieveCustomer", await call(em, "GET", `/v2/customers/${id}`));
    expectValid("RetrieveCustomer", await call(em, "GET", "/v2/customers/NOPE"));
    expectValid(
      "UpdateCustomer",
      await call(em, "PUT", `/v2/customers/${id}`, { nickname: "Countess", version: 1 }),
    );
    expectValid(
      "UpdateCustomer",
      await call(em, "PUT", `/v2/customers/${id}`, { nickname: "x", version: 0 }),
    );
    expectValid(
      "BulkRetrieveCustomers",
      await call(em, "POST", "/v2/customers/bulk-retrieve", { customer_ids: [id, "NOPE"] }),
    );
    expectValid(
      "BulkRetrieveCustomers",
      await call(em, "POST", "/v2/customers/bulk-retrieve", { customer_ids: [] }),
    );
    expectValid(
      "BulkCreateCustomers",
      await call(em, "POST", "/v2/customers/bulk-create", {
        customers: { a: { given_name: "A" }, b: { email_address: "x" } },
      }),
    );
    expectValid(
      "SearchCustomers",
      await call(em, "POST", "/v2/customers/search", {
        limit: 50,
        count: true,
        query: { filter: { group_ids: { any: [em.store.groups()[0]?.id] } } },
      }),
    );
    expectValid(
      "SearchCustomers",
      await call(em, "POST", "/v2/customers/search", { query: { filter: { group_ids: { any: ["NOPE"] } } } }),
    );
    expectValid("SearchCustomers", await call(em, "POST", "/v2/customers/search", { limit: 500 }));
    expectValid("SearchCustomers", await call(em, "POST", "/v2/customers/search", {}, { token: "wrong" }));
    expectValid("ListCustomers", await call(em, "GET", "/v2/customers?limit=100&count=true"));
    expectValid("ListCustomers", await call(em, "GET", "/v2/customers?cursor=bad"));
    expectValid("RemoveGroupFromCustomer", await call(em, "DELETE", `/v2/customers/${id}/groups/${g.id}`));
    expectValid(
      "RemoveGroupFromCustomer",
      await call(em, "DELETE", `/v2/customers/${id}/groups/${g.id}`, undefined, { token: "ro" }),
    );
    expectValid("DeleteCustomer", await call(em, "DELETE", `/v2/customers/${id}`));
    expectValid("DeleteCustomer", await call(em, "DELETE", `/v2/customers/${id}`));
    expectValid("DeleteCustomerGroup", await call(em, "DELETE", `/v2/customers/groups/${g.id}`));
    expectValid("DeleteCustomerGroup", await call(em, "DELETE", `/v2/customers/groups/${g.id}`));
    expect([...checked].sort()).toEqual([...validators.keys()].sort());
  });

  it("rejects a response with a misspelt field (the check can fail)", () => {
    const validate = validators.get("RetrieveCustomerGroup") as ValidateFunction;
    expect(validate({ group: { id: "X", name: "n", createdAt: "2020-01-01T00:00:00Z" } })).toBe(false);
    expect(validate({ errors: [{ category: "INVALID_REQUEST_ERROR", code: "NO_SUCH_CODE" }] })).toBe(false);
  });
});
