import { escapeQuotedUnsafe, escapeText, neutralizeCsvCell } from "@groupsync/core";
import { csvRecord } from "./csv.js";
import { fieldText, type FieldValue, type MemberField } from "./fields.js";

/** Output formats of `groupsync members`. */
export const MEMBER_FORMATS = ["table", "csv", "json", "ndjson"] as const;
export type MemberFormat = (typeof MEMBER_FORMATS)[number];

/**
 * Turns pages of rows into text, one page at a time, so that an export of any size holds
 * one page in memory. `begin` comes before the first page, `finish` after the last.
 */
export interface RowFormatter {
  begin(): string;
  page(rows: readonly (readonly FieldValue[])[]): string;
  finish(): string;
}

/** Options of {@link createFormatter}. */
export interface FormatterOptions {
  /**
   * CSV cells exactly as Square holds them (`--csv-raw`). Default false: each cell through the
   * sanitizer, controls and bidi characters escaped (`\n`, `\u001b`) and a cell a spreadsheet
   * would run as a formula (`=`, `+`, `-`, `@`, tab, CR) prefixed with `'`.
   */
  readonly csvRaw?: boolean;
}

/** The formatter for `format` with columns `fields`. */
export function createFormatter(
  format: MemberFormat,
  fields: readonly MemberField[],
  options: FormatterOptions = {},
): RowFormatter {
  switch (format) {
    case "csv": {
      const cell = options.csvRaw === true ? fieldText : (v: FieldValue) => csvCell(fieldText(v));
      return {
        begin: () => csvRecord(fields),
        page: (rows) => rows.map((row) => csvRecord(row.map(cell))).join(""),
        finish: () => "",
      };
    }
    case "ndjson":
      return {
        begin: () => "",
        page: (rows) =>
          rows.map((row) => `${escapeQuotedUnsafe(JSON.stringify(toObject(fields, row)))}\n`).join(""),
        finish: () => "",
      };
    case "json":
      return createJsonFormatter(fields);
    case "table":
      return createTableFormatter(fields);
  }
}

function toObject(fields: readonly MemberField[], row: readonly FieldValue[]): Record<string, FieldValue> {
  const object: Record<string, FieldValue> = {};
  fields.forEach((field, i) => {
    object[field] = row[i] ?? null;
  });
  return object;
}

/** A JSON array written element by element: `[` first, `]` last, valid however many rows come. */
function createJsonFormatter(fields: readonly MemberField[]): RowFormatter {
  let first = true;
  return {
    begin: () => "[",
    page: (rows) =>
      rows
        .map((row) => {
          const text = `${first ? "\n" : ",\n"}  ${escapeQuotedUnsafe(JSON.stringify(toObject(fields, row)))}`;
          first = false;
          return text;
        })
        .join(""),
    finish: () => (first ? "]\n" : "\n]\n"),
  };
}

/** Widest a table column grows (longer values are cut with `…`). */
const MAX_COLUMN = 40;

/** A sanitized CSV cell: escaped as on a terminal (its tab or CR too), then kept from formulas. */
function csvCell(text: string): string {
  return neutralizeCsvCell(escapeText(text));
}

/**
 * Aligned columns for a person at a terminal. The widths come from the header and the first
 * page (a table cannot wait for a million rows to measure them); later values longer than
 * their column are cut with `…`. Control and bidi characters (a newline in a name, an escape
 * sequence) are shown escaped (`\n`, `\u001b`) so that a row stays one line and cannot drive
 * the terminal.
 */
function createTableFormatter(fields: readonly MemberField[]): RowFormatter {
  let widths: number[] | undefined;
  const line = (cells: readonly string[], w: readonly number[]) =>
    `${cells
      .map((cell, i) => fit(cell, w[i] ?? 0, i === cells.length - 1))
      .join("  ")
      .trimEnd()}\n`;
  const header = (w: readonly number[]) =>
    line(fields, w) +
    line(
      fields.map((_, i) => "-".repeat(w[i] ?? 0)),
      w,
    );
  return {
    begin: () => "",
    page(rows) {
      const cells = rows.map((row) => row.map((value) => escapeText(fieldText(value))));
      let text = "";
      if (widths === undefined) {
        widths = fields.map((field, i) =>
          Math.min(MAX_COLUMN, Math.max(length(field), ...cells.map((row) => length(row[i] ?? "")))),
        );
        text = header(widths);
      }
      const w = widths;
      return text + cells.map((row) => line(row, w)).join("");
    },
    finish: () => (widths === undefined ? header(fields.map((field) => length(field))) : ""),
  };
}

/**
 * Columns a terminal gives `text`: combining marks take none, East Asian wide characters and
 * emoji two, others one (a close approximation of wcwidth, enough to keep columns aligned).
 */
function length(text: string): number {
  let n = 0;
  for (const char of text) n += charWidth(char.codePointAt(0) ?? 0);
  return n;
}

function charWidth(code: number): number {
  if ((code >= 0x300 && code <= 0x36f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

function fit(text: string, width: number, last: boolean): string {
  const used = length(text);
  if (used > width) {
    let cut = "";
    let n = 0;
    for (const char of text) {
      const w = charWidth(char.codePointAt(0) ?? 0);
      if (n + w > width - 1) break;
      cut += char;
      n += w;
    }
    return `${cut}…${last ? "" : " ".repeat(Math.max(0, width - 1 - n))}`;
  }
  return last ? text : text + " ".repeat(width - used);
}
