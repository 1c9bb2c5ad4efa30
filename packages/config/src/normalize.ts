import { normalizeEmail as coreNormalizeEmail, normalizePhone as coreNormalizePhone } from "@groupsync/core";
import { isSupportedCountry } from "libphonenumber-js/max";

// Values come from @groupsync/core so the file and the live profiles normalize identically;
// config only adds a stricter syntax check, because a typo caught here costs nothing while a
// rule that can never match costs a look-up on every plan.

const LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
// At least two labels; the last (TLD) is not all digits.
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+(?=[\\p{L}\\p{N}-]*\\p{L})${LABEL}$`, "u");
// Local part: printable, no spaces or specials that need quoting, no leading/trailing/double dot.
const LOCAL = /^(?!\.)(?!.*\.\.)[^\s@"(),:;<>[\\\]]{1,64}(?<!\.)$/u;

/** Core's normalized email (trimmed, NFC, lower-cased), or undefined when it is not an address. */
export function normalizeEmail(raw: string): string | undefined {
  const plain = plainAsciiEmail(raw);
  return plain === NOT_PLAIN ? normalizeEmailByPatterns(raw) : plain;
}

const NOT_PLAIN = null;
const AT = 0x40;
const DOT = 0x2e;
// What LOCAL refuses in the local part besides white space, `@` and dots out of place.
const NOT_IN_LOCAL = new Uint8Array(128);
for (const c of '"(),:;<>[\\]') NOT_IN_LOCAL[c.charCodeAt(0)] = 1;

/**
 * {@link normalizeEmailByPatterns} in one pass over the characters, for the common case: printable
 * ASCII without white space (which trimming and NFC leave as it is). `NOT_PLAIN` for anything
 * else. A file of 160,000 addresses spent a fifth of its parse in the patterns and the slices
 * between them. The same result as the patterns for every such string (property-tested).
 */
export function plainAsciiEmail(raw: string): string | undefined | typeof NOT_PLAIN {
  const n = raw.length;
  let at = -1;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return NOT_PLAIN;
    if (c === AT) {
      if (at !== -1) return undefined; // a second @: neither shape nor local part allows it
      at = i;
    }
  }
  // Core: at most 254 characters, `local@d.tld` (the domain neither starts nor ends with a dot
  // and has one inside). LOCAL: 1-64 characters, no dot first, last or twice in a row, none of
  // `"(),:;<>[\]`.
  if (n > 254 || at < 1 || at > 64 || n - at < 4) return undefined;
  if (raw.charCodeAt(at + 1) === DOT || raw.charCodeAt(n - 1) === DOT) return undefined;
  const innerDot = raw.indexOf(".", at + 2);
  if (innerDot === -1) return undefined; // the last character is no dot: this one is inside
  let previous = DOT; // a dot first counts as after a dot
  for (let i = 0; i < at; i++) {
    const c = raw.charCodeAt(i);
    if (NOT_IN_LOCAL[c] === 1 || (c === DOT && previous === DOT)) return undefined;
    previous = c;
  }
  if (previous === DOT) return undefined;
  const email = raw.toLowerCase();
  return domainAfter(email, at + 1) ? email : undefined;
}

// The domain of the previous address: a file's rows often share it, and comparing in place spares
// cutting the domain out of each address to look it up.
let lastDomain = "";
let lastValid = false;

/** {@link isDomain} of `email` from `start` on. */
function domainAfter(email: string, start: number): boolean {
  if (email.length - start === lastDomain.length && email.startsWith(lastDomain, start)) return lastValid;
  lastDomain = email.slice(start);
  lastValid = isDomain(lastDomain);
  return lastValid;
}

/** The reference: core's normalization, then the local-part and domain patterns. */
export function normalizeEmailByPatterns(raw: string): string | undefined {
  const email = coreNormalizeEmail(raw);
  if (email === undefined) return undefined;
  const at = email.lastIndexOf("@");
  return LOCAL.test(email.slice(0, at)) && isDomain(email.slice(at + 1)) ? email : undefined;
}

// Most addresses of a file share a few domains: test each once (the Unicode pattern is slow).
const domains = new Map<string, boolean>();

function isDomain(domain: string): boolean {
  let valid = domains.get(domain);
  if (valid === undefined) {
    valid = DOMAIN.test(domain);
    if (domains.size >= 10_000) domains.clear();
    domains.set(domain, valid);
  }
  return valid;
}

/** Trimmed, NFC, lower-cased domain (`Example.org ` -> `example.org`), or undefined (also for `@example.org`). */
export function normalizeEmailDomain(raw: string): string | undefined {
  const domain = raw.trim().normalize("NFC").toLowerCase();
  return DOMAIN.test(domain) ? domain : undefined;
}

/** Core's E.164 (`+14155550100`); numbers without `+` are read in `country`. Undefined when invalid. */
export function normalizePhone(raw: string, country: string): string | undefined {
  return coreNormalizePhone(raw, country);
}

/** Whether libphonenumber knows this region code (`US`, `GB`, ...). */
export function isKnownCountry(code: string): boolean {
  return isSupportedCountry(code.toUpperCase());
}
