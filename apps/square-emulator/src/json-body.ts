import type { RecordPage } from "./search/search-page.js";
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
  /** The profile object whose JSON `json` holds. */
  jsonOf: SquareCustomer | undefined;
  /** The UTF-8 bytes of `JSON.stringify(jsonOf)`, one character per byte (see `customerJson`). */
  json: string | undefined;
}

/**
 * The UTF-8 bytes of `JSON.stringify(customer)`, kept in `slot` until the slot serves another
 * object. The store never changes a profile object in place (every change makes a new object),
 * so bytes made for an object stay right. A slot is faster than a WeakMap keyed by the object.
 *
 * The bytes are kept as a string of one character per byte (what `buffer.toString("latin1")`
 * gives), written out with `buffer.write(bytes, at, "latin1")`: a copy, with no encoding on the
 * way out; the JSON of a profile in ASCII, nearly all of them, is that string already. Not a
 * buffer per profile: a string is one object on the heap that holds no pointer, where a buffer
 * is an object on the heap and memory outside it whose growth sets off full collections of a
 * large heap while requests wait.
 */
export function customerJson(slot: JsonSlot, customer: SquareCustomer): string {
  if (slot.jsonOf !== customer || slot.json === undefined) {
    const json = JSON.stringify(customer);
    slot.json =
      Buffer.byteLength(json, "utf8") === json.length ? json : Buffer.from(json, "utf8").toString("latin1");
    slot.jsonOf = customer;
  }
  return slot.json;
}

/**
 * Makes the JSON of every record's current profile, as a seed or state file is loaded: else
 * each profile's first page makes it while other requests wait, and the heap grows all through
 * a first read of the account.
 */
export function primeJson(records: Iterable<JsonSlot & { current: SquareCustomer | undefined }>): void {
  for (const record of records) if (record.current) customerJson(record, record.current);
}

const COMMA = 0x2c;

/** Pieces of a JSON text (short strings and profiles' JSON), written into one buffer at the end. */
class JsonWriter {
  private readonly parts: string[] = [];
  /** Whether each part is text (to encode) or bytes (one character per byte). */
  private readonly texts: boolean[] = [];
  private length = 0;
  /** Text since the last profile: one piece however many calls made it. */
  private pending = "";

  text(part: string): void {
    this.pending += part;
  }

  /** The JSON of `customer`, kept in `slot`. */
  customer(slot: JsonSlot, customer: SquareCustomer): void {
    this.flush();
    const bytes = customerJson(slot, customer);
    this.parts.push(bytes);
    this.texts.push(false);
    this.length += bytes.length;
  }

  private flush(): void {
    if (this.pending === "") return;
    this.parts.push(this.pending);
    this.texts.push(true);
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
    for (let i = 0; i < this.parts.length; i++) {
      at += out.write(this.parts[i] as string, at, this.texts[i] ? "utf8" : "latin1");
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
  // One buffer: the kept JSON of each profile, the commas between them, and the rest.
  const head = '{"customers":[';
  const end = Buffer.from(`]${tail}}`, "utf8");
  let length = head.length + records.length - 1 + end.length;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as RecordPage["records"][number];
    length += customerJson(record, record.visible as SquareCustomer).length;
  }
  const out = Buffer.allocUnsafe(length);
  let at = out.write(head, 0, "latin1");
  for (let i = 0; i < records.length; i++) {
    if (i > 0) out[at++] = COMMA;
    at += out.write((records[i] as RecordPage["records"][number]).json as string, at, "latin1");
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
      out.customer(entry.slot, entry.customer);
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
  out.customer(slot, customer);
  out.text("}");
  return out.toBody();
}
