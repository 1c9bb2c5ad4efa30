import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bulkRetrieveJson, customerBodyJson, pageJson, type BulkRetrieveEntry } from "./json-body.js";
import type { PageResult } from "./search.js";
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

// IDs that JSON.stringify puts first (integer-like) or that an object does not keep as its own.
const id = fc.oneof(fc.string(), fc.constantFrom("123", "7", "0", "__proto__", "constructor", "toString"));

describe("pre-serialized JSON bodies", () => {
  it("writes a page as JSON.stringify does", () => {
    fc.assert(
      fc.property(
        fc.array(customer, { maxLength: 5 }),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        (customers, cursor, count) => {
          const page: PageResult = {};
          if (customers.length > 0) page.customers = customers;
          if (cursor !== undefined) page.cursor = cursor;
          if (count !== undefined) page.count = count;
          expect(pageJson(page).bytes.equals(bytesOf(page))).toBe(true);
          // Twice: the second time from the cached bytes of each profile.
          expect(pageJson(page).bytes.equals(bytesOf(page))).toBe(true);
        },
      ),
    );
  });

  it("writes BulkRetrieveCustomers responses as JSON.stringify does, odd IDs included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, fc.option(customer, { nil: undefined })), { maxLength: 8 }),
        (entries) => {
          const responses: Record<string, BulkRetrieveEntry> = {};
          for (const [key, found] of entries) {
            responses[key] = found
              ? { customer: found }
              : { errors: [{ category: "INVALID_REQUEST_ERROR", code: "NOT_FOUND", detail: `No ${key}.` }] };
          }
          expect(bulkRetrieveJson(responses).bytes.equals(bytesOf({ responses }))).toBe(true);
        },
      ),
    );
  });

  it("writes a RetrieveCustomer body as JSON.stringify does", () => {
    fc.assert(
      fc.property(customer, (c) => {
        expect(customerBodyJson(c).bytes.equals(bytesOf({ customer: c }))).toBe(true);
      }),
    );
  });
});
