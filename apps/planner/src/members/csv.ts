/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, and a field
 * quoted when it holds a quote, a comma, a CR or an LF (a quote inside doubled). Leading and
 * trailing spaces are kept as they are: a parser that follows the RFC keeps them too.
 */
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted when it must be. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record with its CRLF. */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
