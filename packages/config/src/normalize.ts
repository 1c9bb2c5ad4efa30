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
