import type { RecordPage } from "./search.js";
import type { SquareCustomer } from "./types.js";

/**
 * A response body already serialized: exactly the UTF-8 bytes of `JSON.stringify(value)` for
 * the value it stands for. The hot read responses are built from per-profile bytes instead of
 * stringifying (and then encoding) up to 100 profiles on every call.
 */
export class JsonBody {
  constructor(readonly bytes: Buffer) {}
}

/** Where a profile's JSON is kept: the store's record of the profile. */
export interface JsonSlot {
  jsonOf: SquareCustomer | undefined;
  json: Buffer | undefined;
}

/**
 * `JSON.stringify(customer)` as UTF-8, kept in `slot` until the slot serves another object. The
 * store never changes a profile object in place (every change makes a new object), so bytes
 * made for an object stay right. A slot is faster than a WeakMap keyed by the object.
 */
export function customerJson(slot: JsonSlot, customer: SquareCustomer): Buffer {
  if (slot.jsonOf !== customer || slot.json === undefined) {
    slot.json = Buffer.from(JSON.stringify(customer), "utf8");
    slot.jsonOf = customer;
  }
  return slot.json;
}

const COMMA = 0x2c;

/** Pieces of a JSON text (short strings and cached bytes), written into one buffer at the end. */
class JsonWriter {
  private readonly parts: (Buffer | string)[] = [];
  private length = 0;
  /** Text since the last bytes: one piece however many calls made it. */
  private pending = "";

  text(part: string): void {
    this.pending += part;
  }

  bytes(part: Buffer): void {
    this.flush();
    this.parts.push(part);
    this.length += part.length;
  }

  private flush(): void {
    if (this.pending === "") return;
    this.parts.push(this.pending);
    this.length += Buffer.byteLength(this.pending, "utf8");
    this.pending = "";
  }

  /** `"key":JSON.stringify(value)`, after a comma unless it is the object's first member. */
  member(first: boolean, key: string, value: unknown): void {
    this.text(`${first ? "" : ","}${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }

  toBody(): JsonBody {
    this.flush();
    const out = Buffer.allocUnsafe(this.length);
    let at = 0;
    for (const part of this.parts) {
      if (typeof part === "string") at += out.write(part, at, "utf8");
      else {
        out.set(part, at);
        at += part.length;
      }
    }
    return new JsonBody(out);
  }
}

/**
 * A SearchCustomers / ListCustomers page, as `JSON.stringify(toPageResult(page))` writes it:
 * `customers` (when there are any), then `cursor`, then `count` (when present).
 */
export function pageJson(page: RecordPage): JsonBody {
  const records = page.records;
  let tail = "";
  if (page.cursor !== undefined) tail += `,"cursor":${JSON.stringify(page.cursor)}`;
  if (page.count !== undefined) tail += `,"count":${JSON.stringify(page.count)}`;
  if (records.length === 0) return new JsonBody(Buffer.from(`{${tail.slice(1)}}`, "utf8"));
  // One buffer: the cached bytes of each profile, the commas between them, and the rest.
  const head = '{"customers":[';
  const end = Buffer.from(`]${tail}}`, "utf8");
  const items = new Array<Buffer>(records.length);
  let length = head.length + records.length - 1 + end.length;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as RecordPage["records"][number];
    const item = customerJson(record, record.visible as SquareCustomer);
    items[i] = item;
    length += item.length;
  }
  const out = Buffer.allocUnsafe(length);
  let at = out.write(head, 0, "latin1");
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out[at++] = COMMA;
    const item = items[i] as Buffer;
    out.set(item, at);
    at += item.length;
  }
  out.set(end, at);
  return new JsonBody(out);
}

/** One entry of a BulkRetrieveCustomers answer: the profile (and its slot), or the errors for its ID. */
export type BulkRetrieveEntry = { customer: SquareCustomer; slot: JsonSlot } | { errors: unknown[] };

/**
 * `{"responses": ...}` of BulkRetrieveCustomers, as `JSON.stringify` writes it with each entry
 * as `{customer}` or `{errors}`.
 */
export function bulkRetrieveJson(responses: Record<string, BulkRetrieveEntry>): JsonBody {
  const out = new JsonWriter();
  out.text('{"responses":{');
  let first = true;
  // Object.keys: own enumerable keys in JSON.stringify's order (integer-like IDs first; an ID
  // "__proto__" set the object's prototype instead, and JSON.stringify leaves it out too).
  for (const id of Object.keys(responses)) {
    const entry = responses[id] as BulkRetrieveEntry;
    if ("customer" in entry) {
      out.text(`${first ? "" : ","}${JSON.stringify(id)}:{"customer":`);
      out.bytes(customerJson(entry.slot, entry.customer));
      out.text("}");
    } else out.member(first, id, entry);
    first = false;
  }
  out.text("}}");
  return out.toBody();
}

/** `{"customer": ...}` (RetrieveCustomer), as `JSON.stringify` writes it. */
export function customerBodyJson(slot: JsonSlot, customer: SquareCustomer): JsonBody {
  const out = new JsonWriter();
  out.text('{"customer":');
  out.bytes(customerJson(slot, customer));
  out.text("}");
  return out.toBody();
}
