import {
  escapeQuotedUnsafe,
  escapeText,
  neutralizeCsvCell,
  padToWidth,
  PLAIN_STYLE,
  truncateToWidth,
  type TextStyle,
} from "@groupsync/core";
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
  /** Display widths of the table's columns. Default {@link PLAIN_STYLE} (one column per code unit). */
  readonly style?: TextStyle;
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
      return createTableFormatter(fields, options.style ?? PLAIN_STYLE);
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
 * page (a table cannot wait for a million rows to measure them), in display columns (`style`:
 * a CJK character or an emoji two); later values wider than their column are cut with `…`.
 * Control and bidi characters (a newline in a name, an escape sequence) are shown escaped
 * (`\n`, `\u001b`) so that a row stays one line and cannot drive the terminal.
 */
function createTableFormatter(fields: readonly MemberField[], style: TextStyle): RowFormatter {
  let widths: number[] | undefined;
  const measure = style.width;
  const line = (cells: readonly string[], w: readonly number[]) =>
    `${cells
      .map((cell, i) => fit(cell, w[i] ?? 0, i === cells.length - 1, style))
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
          Math.min(MAX_COLUMN, Math.max(measure(field), ...cells.map((row) => measure(row[i] ?? "")))),
        );
        text = header(widths);
      }
      const w = widths;
      return text + cells.map((row) => line(row, w)).join("");
    },
    finish: () => (widths === undefined ? header(fields.map((field) => measure(field))) : ""),
  };
}

function fit(text: string, width: number, last: boolean, style: TextStyle): string {
  const cut = truncateToWidth(text, width, style);
  return last ? cut : padToWidth(cut, width, style);
}
