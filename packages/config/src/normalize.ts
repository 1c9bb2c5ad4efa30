import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";

// Stand-ins for @groupsync/core's normalizeEmail/normalizePhone (same contract: undefined when
// invalid) until core's dist exports them; then these re-export core's so both packages agree.

const LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
// At least two labels; the last (TLD) is not all digits.
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+(?=[\\p{L}\\p{N}-]*\\p{L})${LABEL}$`, "u");
// Local part: printable, no spaces or specials that need quoting, no leading/trailing/double dot.
const LOCAL = /^(?!\.)(?!.*\.\.)[^\s@"(),:;<>[\\\]]{1,64}(?<!\.)$/u;

/** Trimmed, lower-cased email address, or undefined when it is not one. */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf("@");
  if (at < 1) return undefined;
  return LOCAL.test(email.slice(0, at)) && DOMAIN.test(email.slice(at + 1)) ? email : undefined;
}

/** Trimmed, lower-cased domain (`Example.org ` -> `example.org`), or undefined (also for `@example.org`). */
export function normalizeEmailDomain(raw: string): string | undefined {
  const domain = raw.trim().toLowerCase();
  return DOMAIN.test(domain) ? domain : undefined;
}

/**
 * E.164 (`+14155550100`) of a valid phone number (libphonenumber's full metadata); numbers
 * without `+` are read as numbers of `country`. Undefined when invalid.
 */
export function normalizePhone(raw: string, country: string): string | undefined {
  const region = country.toUpperCase();
  const parsed = isSupportedCountry(region)
    ? parsePhoneNumberFromString(raw.trim(), region)
    : parsePhoneNumberFromString(raw.trim());
  return parsed?.isValid() ? parsed.number : undefined;
}

/** Whether libphonenumber knows this region code (`US`, `GB`, ...). */
export function isKnownCountry(code: string): boolean {
  return isSupportedCountry(code.toUpperCase());
}
