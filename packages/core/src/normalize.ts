import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from "libphonenumber-js/max";
import { createStringFilter, mayContain } from "./string-filter.js";

// Deliberately loose: Square accepts what RFC 5322 allows; we only refuse what cannot be an address.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@]*[^\s@.]$/;
const MAX_EMAIL_LENGTH = 254;
const NOT_ASCII = /[\u0080-\uffff]/;

/**
 * Normalizes an email for comparison (DESIGN.md §2): trimmed, Unicode NFC, lower-cased.
 * Returns `undefined` when the result is not shaped like `local@domain.tld` or is longer than
 * Square's limit of 254 characters.
 */
export function normalizeEmail(raw: string): string | undefined {
  const trimmed = raw.trim();
  // ASCII text is its own NFC: skip ICU for it, as nearly every email is ASCII.
  const email = (NOT_ASCII.test(trimmed) ? trimmed.normalize("NFC") : trimmed).toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(email)) return undefined;
  return email;
}

/**
 * Normalizes a phone number to E.164 (`+14155550100`) with libphonenumber's full metadata.
 * `country` (ISO 3166-1 alpha-2, e.g. `US`) applies to numbers written without `+`.
 * Returns `undefined` when the number is not a valid number.
 */
export function normalizePhone(raw: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), {
    defaultCountry: country.toUpperCase() as CountryCode,
  });
  if (parsed === undefined || !parsed.isValid()) return undefined;
  return parsed.number;
}

/**
 * The key a live group name is matched by (DESIGN.md §3): NFC, trimmed, runs of whitespace
 * collapsed to one space, lower-cased.
 */
export function groupNameKey(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/gu, " ").toLowerCase();
}

/** The key a stored email is matched by: trimmed, NFC, lower-cased; no validation. */
export function liveEmailKey(raw: string): string | undefined {
  // Most stored emails are ASCII: skip Unicode normalization for them (a million profiles).
  const trimmed = raw.trim();
  const email = (PRINTABLE_ASCII.test(trimmed) ? trimmed : trimmed.normalize("NFC")).toLowerCase();
  return email === "" ? undefined : email;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The domain of an email key (after the last `@`), or `undefined`. */
export function emailDomain(emailKey: string): string | undefined {
  const at = emailKey.lastIndexOf("@");
  if (at < 0 || at === emailKey.length - 1) return undefined;
  return emailKey.slice(at + 1);
}

const E164_SHAPE = /^\+\d+$/;
const INTERNATIONAL_PUNCTUATED = /^\+[\d\s().-]+$/;
const NATIONAL_PUNCTUATED = /^[\d\s().-]+$/;
const NOT_DIGIT = /\D/g;
/** A national number's last digits are the E.164 number's last digits. */
const SUFFIX_DIGITS = 7;

/**
 * Returns a function that turns a phone number as stored in Square (any format) into the E.164
 * key rules are compared with. A libphonenumber parse per profile is too slow for a million
 * profiles, so:
 * - a number written with `+` and only punctuation takes a fast path (digits only: a rule value
 *   is valid E.164, so equality is all that matters);
 * - with `wanted` (the E.164 values some rule asks for), a national number made of digits and
 *   punctuation whose last 7 digits end no wanted value cannot match, and is not parsed; one
 *   whose digits after the country's calling code make a wanted value is that value;
 * - anything else is parsed once per distinct string.
 */
export function createLivePhoneKey(
  country: string,
  wanted?: ReadonlySet<string>,
): (raw: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  const defaultCountry = country.toUpperCase() as CountryCode;
  const callingCode = isSupportedCountry(defaultCountry) ? getCountryCallingCode(defaultCountry) : "";
  const suffixes =
    wanted === undefined
      ? undefined
      : createStringFilter([...wanted].map((e164) => e164.slice(-SUFFIX_DIGITS)));
  return (raw) => {
    if (E164_SHAPE.test(raw)) return raw;
    if (INTERNATIONAL_PUNCTUATED.test(raw)) return "+" + raw.replace(NOT_DIGIT, "");
    if (wanted !== undefined && suffixes !== undefined && NATIONAL_PUNCTUATED.test(raw)) {
      const digits = raw.replace(NOT_DIGIT, "");
      if (!mayContain(suffixes, digits.slice(-SUFFIX_DIGITS))) return undefined;
      // The common case, without parsing: the digits are the national number itself
      // (`(415) 555-0100` in US). Anything else (trunk prefixes...) goes to libphonenumber.
      const candidate = `+${callingCode}${digits}`;
      if (callingCode !== "" && wanted.has(candidate)) return candidate;
    }
    if (cache.has(raw)) return cache.get(raw);
    const parsed = parsePhoneNumberFromString(raw.trim(), { defaultCountry });
    const key = parsed?.number;
    cache.set(raw, key);
    return key;
  };
}
