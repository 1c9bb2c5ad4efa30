import type { PageResult } from "./search.js";
import type { SquareCustomer } from "./types.js";

/**
 * A response body already serialized: exactly the UTF-8 bytes of `JSON.stringify(value)` for
 * the value it stands for. The hot read responses are built from per-profile bytes instead of
 * stringifying (and then encoding) up to 100 profiles on every call.
 */
export class JsonBody {
  constructor(readonly bytes: Buffer) {}
}

// The store never changes a profile object in place: every change (update, membership, delete)
// makes a new object, so the bytes of an object stay right for as long as it lives.
const customerBytes = new WeakMap<SquareCustomer, Buffer>();

/** `JSON.stringify(customer)` as UTF-8, computed once per profile object. */
export function customerJson(customer: SquareCustomer): Buffer {
  let bytes = customerBytes.get(customer);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(customer), "utf8");
    customerBytes.set(customer, bytes);
  }
  return bytes;
}

/** Pieces of a JSON text (cached bytes and short strings), joined into one buffer at the end. */
class JsonWriter {
  private readonly parts: (Buffer | string)[] = [];
  private length = 0;

  text(part: string): void {
    this.parts.push(part);
    this.length += Buffer.byteLength(part, "utf8");
  }

  bytes(part: Buffer): void {
    this.parts.push(part);
    this.length += part.length;
  }

  /** `"key":JSON.stringify(value)`, with a comma unless it is the object's first member. */
  member(first: boolean, key: string, value: unknown): void {
    this.text(`${first ? "" : ","}${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }

  toBody(): JsonBody {
    const out = Buffer.allocUnsafe(this.length);
    let at = 0;
    for (const part of this.parts) {
      if (typeof part === "string") at += out.write(part, at, "utf8");
      else at += part.copy(out, at);
    }
    return new JsonBody(out);
  }
}

/** A SearchCustomers / ListCustomers page, as `JSON.stringify(page)` would write it. */
export function pageJson(page: PageResult): JsonBody {
  const out = new JsonWriter();
  out.text("{");
  let first = true;
  // Object.keys gives the members in JSON.stringify's order; undefined members are left out as it does.
  for (const key of Object.keys(page) as (keyof PageResult)[]) {
    const value = page[key];
    if (value === undefined) continue;
    if (key === "customers") {
      out.text(first ? '"customers":[' : ',"customers":[');
      (value as SquareCustomer[]).forEach((customer, i) => {
        if (i > 0) out.text(",");
        out.bytes(customerJson(customer));
      });
      out.text("]");
    } else out.member(first, key, value);
    first = false;
  }
  out.text("}");
  return out.toBody();
}

/** One entry of a BulkRetrieveCustomers answer: the profile, or the errors for its ID. */
export type BulkRetrieveEntry = { customer: SquareCustomer } | { errors: unknown[] };

/** `{"responses": ...}` of BulkRetrieveCustomers, as `JSON.stringify` would write it. */
export function bulkRetrieveJson(responses: Record<string, BulkRetrieveEntry>): JsonBody {
  const out = new JsonWriter();
  out.text('{"responses":{');
  let first = true;
  // Object.keys: own enumerable keys in JSON.stringify's order (integer-like IDs first).
  for (const id of Object.keys(responses)) {
    const entry = responses[id] as BulkRetrieveEntry;
    if ("customer" in entry) {
      out.text(`${first ? "" : ","}${JSON.stringify(id)}:{"customer":`);
      out.bytes(customerJson(entry.customer));
      out.text("}");
    } else out.member(first, id, entry);
    first = false;
  }
  out.text("}}");
  return out.toBody();
}

/** `{"customer": ...}` (RetrieveCustomer), as `JSON.stringify` would write it. */
export function customerBodyJson(customer: SquareCustomer): JsonBody {
  const out = new JsonWriter();
  out.text('{"customer":');
  out.bytes(customerJson(customer));
  out.text("}");
  return out.toBody();
}
