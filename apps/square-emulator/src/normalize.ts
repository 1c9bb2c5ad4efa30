import { parsePhoneNumberFromString } from "libphonenumber-js";

// Square validates phone numbers loosely: optional "+", 9-16 digits, common punctuation.
const PHONE_SHAPE = /^\+?[\d\s().-]+$/;

/** Whether Square would accept `raw` as a phone number (INVALID_PHONE_NUMBER otherwise). */
export function isValidPhone(raw: string): boolean {
  if (!PHONE_SHAPE.test(raw.trim())) return false;
  const digits = raw.replace(/\D/g, "").length;
  return digits >= 9 && digits <= 16;
}

/**
 * The E.164 form Square compares phone numbers in. Numbers without a country code are read
 * as US numbers (the emulated seller is in the US). Undefined when it cannot be converted.
 */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) {
    // Fast path for the common shapes; the rare rest goes through libphonenumber.
    if (digits.length >= 8 && digits.length <= 15) return `+${digits}`;
    return undefined;
  }
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return parsePhoneNumberFromString(trimmed, "US")?.number;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether Square would accept `raw` as an email address (INVALID_EMAIL_ADDRESS otherwise). */
export function isValidEmail(raw: string): boolean {
  return EMAIL_SHAPE.test(raw.trim());
}

/** The key exact email search compares: trimmed, lower case. */
export function emailKey(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Tokens of an email for fuzzy search: lower case, `.`, `_`, `@` and spaces removed as separators. */
export function emailTokens(raw: string): string[] {
  return raw
    .toLowerCase()
    .split(/[._@\s]+/)
    .filter((t) => t.length > 0);
}

/**
 * Square's fuzzy email match: every query token occurs, as a substring, in some token of the
 * stored address, in any order ("Steven gmail" matches mygmail@stevensbakery.com).
 */
export function fuzzyEmailMatches(queryTokens: readonly string[], stored: string): boolean {
  const storedTokens = emailTokens(stored);
  return queryTokens.every((q) => storedTokens.some((s) => s.includes(q)));
}

/** Digit runs of a phone query for fuzzy search ("415 212" -> ["415", "212"]). */
export function phoneTokens(raw: string): string[] {
  return raw.split(/\D+/).filter((t) => t.length > 0);
}

/** Fuzzy phone match: every digit token occurs in the stored number's digits. */
export function fuzzyPhoneMatches(queryTokens: readonly string[], stored: string): boolean {
  const digits = stored.replace(/\D/g, "");
  return queryTokens.every((q) => digits.includes(q));
}
