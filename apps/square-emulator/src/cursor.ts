import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { badRequest } from "./api-error.js";

// Cursors are sealed (AES-256-GCM): opaque, tamper-evident, and the DEFAULT sort key inside
// (names, emails) never shows in a client's logs. The key lives as long as the process.
const CURSOR_KEY = createHash("sha256").update(randomBytes(32)).digest();

/** Where a page ended: the last item's sort key, creation time and ID, bound to its query. */
export interface CursorPosition {
  /** Hash of the query the cursor belongs to. */
  q: string;
  /** DEFAULT sort key of the last item (absent for CREATED_AT order). */
  k?: string[];
  c: number;
  i: string;
}

// The plaintext of the cursors issued last, so that the next page's request (nearly always one
// of them) is not deciphered again. Only decryption is skipped: parsing and checks are the same.
const ISSUED_MAX = 4096;
const issued = new Map<string, string>();

// GCM needs a nonce never used twice with the key, not an unpredictable one: a random prefix and
// a counter (NIST SP 800-38D, 8.2.1) spare a call into the system's random source per cursor.
const IV_PREFIX = randomBytes(4);
let ivCounter = 0;

function nextIv(): Buffer {
  const iv = Buffer.allocUnsafe(12);
  IV_PREFIX.copy(iv, 0);
  ivCounter++;
  iv.writeUInt32BE(Math.floor(ivCounter / 0x1_0000_0000), 4);
  iv.writeUInt32BE(ivCounter % 0x1_0000_0000, 8);
  return iv;
}

/** Encodes a position as an opaque cursor (base64url of iv, tag and ciphertext). */
export function encodeCursor(position: CursorPosition): string {
  const iv = nextIv();
  const cipher = createCipheriv("aes-256-gcm", CURSOR_KEY, iv);
  const plain = JSON.stringify(position);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const cursor = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
  if (issued.size >= ISSUED_MAX) issued.delete(issued.keys().next().value as string);
  issued.set(cursor, plain);
  return cursor;
}

function openCursor(cursor: string): string {
  const raw = Buffer.from(cursor, "base64url");
  if (raw.length < 29) throw new Error("short cursor");
  const decipher = createDecipheriv("aes-256-gcm", CURSOR_KEY, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** Decodes a cursor made for the query hashed `queryHash`; 400 INVALID_CURSOR otherwise. */
export function decodeCursor(cursor: string, queryHash: string): CursorPosition {
  // Built only when needed: an error captures a stack trace, too dear for every page.
  const invalid = (): Error => badRequest("INVALID_CURSOR", "The pagination cursor is invalid.", "cursor");
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    parsed = JSON.parse(issued.get(cursor) ?? openCursor(cursor));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== "object" || parsed === null) throw invalid();
  const p = parsed as Record<string, unknown>;
  if (p["q"] !== queryHash || typeof p["c"] !== "number" || typeof p["i"] !== "string") throw invalid();
  const k = p["k"];
  if (k !== undefined && !(Array.isArray(k) && k.every((x) => typeof x === "string"))) throw invalid();
  return k === undefined ? { q: queryHash, c: p["c"], i: p["i"] } : { q: queryHash, k, c: p["c"], i: p["i"] };
}

/** A short, stable hash (FNV-1a, hex) of a canonical query string. */
export function hashQuery(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
