/**
 * Masks an email for output that must not carry personal data (DESIGN.md §4):
 * `ada@example.com` -> `a***@e***.com`. Keeps the first character of the local part and of the
 * domain, and the top-level domain.
 */
export function maskEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf("@");
  if (at < 0) return mask(trimmed);
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  const tld = dot > 0 ? domain.slice(dot) : "";
  return `${first(local)}***@${first(domain)}***${tld}`;
}

/**
 * Masks a phone number: `+14155550100` -> `+1******0100`. Keeps the `+` and first digit and the
 * last four digits; numbers of fewer than seven digits are masked whole.
 */
export function maskPhone(phone: string): string {
  const trimmed = phone.trim();
  const plus = trimmed.startsWith("+") ? "+" : "";
  const digits = trimmed.replace(/\D/g, "");
  if (digits.length < 7) return plus + "*".repeat(Math.max(digits.length, 3));
  return plus + digits.slice(0, 1) + "*".repeat(digits.length - 5) + digits.slice(-4);
}

/** Masks a name: `Ada` -> `A***`; an empty or blank name stays as it is. */
export function maskName(name: string): string {
  const trimmed = name.trim();
  return trimmed === "" ? name : mask(trimmed);
}

function first(s: string): string {
  return Array.from(s)[0] ?? "";
}

function mask(s: string): string {
  return s === "" ? "***" : `${first(s)}***`;
}
