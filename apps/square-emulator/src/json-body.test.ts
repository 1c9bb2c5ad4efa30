import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bulkRetrieveJson,
  customerBodyJson,
  pageJson,
  type BulkRetrieveEntry,
  primeJson,
  type JsonSlot,
} from "./json-body.js";
import { toPageResult, type RecordPage } from "./search/search-page.js";
import type { CustomerRecord } from "./customer-record.js";
import type { SquareCustomer } from "./types.js";

// The pre-serialized bodies must be the very bytes JSON.stringify gives for the same value.
const bytesOf = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8");

const customer = fc.record(
  {
    id: fc.string({ minLength: 1 }),
    created_at: fc.constant("2020-01-01T00:00:00.000Z"),
    updated_at: fc.constant("2020-01-02T00:00:00.000Z"),
    given_name: fc.string({ unit: "grapheme" }),
    email_address: fc.string({ unit: "binary" }),
    address: fc.dictionary(fc.string(), fc.option(fc.string(), { nil: null })),
    preferences: fc.record({ email_unsubscribed: fc.boolean() }),
    group_ids: fc.array(fc.string()),
    version: fc.nat(),
  },
  { requiredKeys: ["id", "created_at", "updated_at"] },
) as fc.Arbitrary<SquareCustomer>;

const slot = (): JsonSlot => ({ jsonOf: undefined, json: undefined });

const record = (c: SquareCustomer): CustomerRecord => ({
  id: c.id,
  createdMs: 0,
  current: c,
  visible: c,
  indexed: false,
  indexedEmail: undefined,
  indexedPhone: undefined,
  indexedGroups: [],
  pendingUntil: 0,
  ...slot(),
  keyOf: undefined,
  keyName: "",
  keyCompany: "",
  keyEmail: "",
  keyPhone: "",
});

// IDs that JSON.stringify puts first (integer-like) or that an object does not keep as its own.
const id = fc.oneof(fc.string(), fc.constantFrom("123", "7", "0", "__proto__", "constructor", "toString"));

const notFound = (key: string) => ({
  errors: [{ category: "INVALID_REQUEST_ERROR", code: "NOT_FOUND", detail: `No ${key}.` }],
});

describe("pre-serialized JSON bodies", () => {
  it("writes a page as JSON.stringify does", () => {
    fc.assert(
      fc.property(
        fc.array(customer, { maxLength: 5 }),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        (customers, cursor, count) => {
          const page: RecordPage = { records: customers.map(record), cursor, count };
          const expected = bytesOf(toPageResult(page));
          expect(pageJson(page).bytes.equals(expected)).toBe(true);
          // Twice: the second time from the bytes kept in each record.
          expect(pageJson(page).bytes.equals(expected)).toBe(true);
        },
      ),
    );
  });

  it("writes a page from JSON made as the data was loaded as JSON.stringify does", () => {
    fc.assert(
      fc.property(fc.array(customer, { maxLength: 5 }), (customers) => {
        const records = customers.map(record);
        primeJson(records);
        const page: RecordPage = { records, cursor: undefined, count: undefined };
        expect(pageJson(page).bytes.equals(bytesOf(toPageResult(page)))).toBe(true);
      }),
    );
  });

  it("does not serve JSON made at load once search sees another object", () => {
    const r = record({ id: "A", created_at: "x", updated_at: "x", given_name: "Zoë", version: 0 });
    primeJson([r]);
    const page: RecordPage = { records: [r], cursor: undefined, count: undefined };
    expect(pageJson(page).bytes.toString()).toBe(
      '{"customers":[{"id":"A","created_at":"x","updated_at":"x","given_name":"Zoë","version":0}]}',
    );
    r.visible = { ...(r.visible as SquareCustomer), given_name: "Zoë 🦊", version: 1 };
    expect(pageJson(page).bytes.toString()).toBe(
      '{"customers":[{"id":"A","created_at":"x","updated_at":"x","given_name":"Zoë 🦊","version":1}]}',
    );
  });

  it("writes new bytes once a record serves another object", () => {
    const r = record({ id: "A", created_at: "x", updated_at: "x", version: 0 });
    const page: RecordPage = { records: [r], cursor: undefined, count: undefined };
    expect(pageJson(page).bytes.toString()).toBe(
      '{"customers":[{"id":"A","created_at":"x","updated_at":"x","version":0}]}',
    );
    r.visible = { ...(r.visible as SquareCustomer), version: 1 };
    expect(pageJson(page).bytes.toString()).toBe(
      '{"customers":[{"id":"A","created_at":"x","updated_at":"x","version":1}]}',
    );
  });

  it("writes BulkRetrieveCustomers responses as JSON.stringify does, odd IDs included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, fc.option(customer, { nil: undefined })), { maxLength: 8 }),
        (entries) => {
          const responses: Record<string, BulkRetrieveEntry> = {};
          // The plain answer: the same assignments with `{customer}` entries, for JSON.stringify.
          const plain: Record<string, unknown> = {};
          for (const [key, found] of entries) {
            responses[key] = found ? { customer: found, slot: slot() } : notFound(key);
            plain[key] = found ? { customer: found } : notFound(key);
          }
          expect(bulkRetrieveJson(responses).bytes.equals(bytesOf({ responses: plain }))).toBe(true);
        },
      ),
    );
  });

  it("writes a RetrieveCustomer body as JSON.stringify does", () => {
    fc.assert(
      fc.property(customer, (c) => {
        expect(customerBodyJson(slot(), c).bytes.equals(bytesOf({ customer: c }))).toBe(true);
      }),
    );
  });
});
