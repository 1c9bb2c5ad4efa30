import type { Rule, RuleKind } from "@groupsync/core";
import type { CsvError } from "csv-parse/sync";
import { csvCellLength, csvFieldStarts } from "./csv-field-starts.js";
import { readCsvRecords } from "./csv-records.js";
import { quote } from "./display-path.js";
import { normalizeEmail } from "./normalize.js";
import { normalizeRule } from "./normalize-rule.js";
import { LineIndex, type Position } from "./positions.js";
import type { ConfigProblem, ConfigProblemCode } from "./problems.js";

/** The rule kinds a members file's columns can hold (DESIGN.md §2). */
export type CsvRuleKind = Extract<RuleKind, "email" | "phone" | "customer_id">;
const RULE_COLUMNS: readonly CsvRuleKind[] = ["email", "phone", "customer_id"];

/** A members file read: its rules in file order, where each is, its problems. */
export interface MembersTable {
  /** The rules of the file's cells, in file order. */
  readonly rules: readonly Rule[];
  /** The record (0 is the header) and field of each rule's cell. */
  readonly records: readonly number[];
  readonly fields: readonly number[];
  readonly problems: readonly ConfigProblem[];
  /** The line, column and width of the cells of the rules at `indexes`, in one pass over the file. */
  readonly locate: (indexes: readonly number[]) => Array<Position & { readonly length: number }>;
}

interface Pending {
  readonly code: ConfigProblemCode;
  readonly message: string;
  readonly record: number;
  readonly field: number;
  /** Underline the whole cell (else one character). */
  readonly cell: boolean;
}

/**
 * Reads the text of a members file (DESIGN.md §2): CSV with a header row (RFC 4180: `,`,
 * `"`-quoted fields with `""` inside, CRLF or LF, a leading BOM ignored, empty lines skipped).
 * Columns named `email`, `phone` or `customer_id` (case-insensitive, surrounding spaces ignored)
 * hold rules, normalized as inline rules are (`country` for phones without `+`); other columns are
 * ignored, and so is a row without a rule cell. Every problem comes with the cell's line and
 * column. Pure: the caller reads the file.
 *
 * csv-parse's synchronous API, a piece of the text at a time (`readCsvRecords`): the file is
 * already in memory (its size is bounded, and its text is kept for the excerpts of problems), and
 * the stream API only adds the cost of its machinery.
 */
export function parseMembersCsv(raw: string, options: { file: string; country: string }): MembersTable {
  const { file, country } = options;
  const text = raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
  const problems: ConfigProblem[] = [];
  const rules: Rule[] = [];
  const ruleRecords: number[] = [];
  const ruleFields: number[] = [];
  // Positions are found only for a file with problems, all in one pass when they are reported.
  const pending: Pending[] = [];
  let lines: LineIndex | undefined;
  const position = (list: readonly Pending[]): ConfigProblem[] => {
    if (list.length === 0) return [];
    lines ??= new LineIndex(text);
    const starts = csvFieldStarts(text, new Set(list.map((p) => p.record)));
    return list.map((p) => {
      const fields = starts.get(p.record);
      const offset = fields?.[p.field] ?? fields?.[0] ?? text.length;
      const length = p.cell ? Math.max(1, csvCellLength(text, offset)) : 1;
      return { code: p.code, message: p.message, file, ...lines!.at(offset), length };
    });
  };
  const result = (): MembersTable => ({
    rules,
    records: ruleRecords,
    fields: ruleFields,
    problems: [...problems, ...position(pending)],
    locate: (indexes) =>
      position(
        indexes.map((i) => ({
          code: "GS_CONFIG_DUPLICATE_RULE",
          message: "",
          record: ruleRecords[i] ?? 0,
          field: ruleFields[i] ?? 0,
          cell: true,
        })),
      ).map(({ line, col, length = 1 }) => ({ line, col, length })),
  });

  let header: string[] | undefined;
  const columns: Array<{ kind: CsvRuleKind; field: number; name: string }> = [];
  const readHeader = (cells: string[]): void => {
    header = cells;
    cells.forEach((cell, field) => {
      const name = cell.trim().toLowerCase();
      const kind = RULE_COLUMNS.find((k) => k === name);
      if (kind === undefined) return;
      const first = columns.find((c) => c.kind === kind);
      if (first !== undefined) {
        pending.push({
          code: "GS_CONFIG_CSV_DUPLICATE_COLUMN",
          message: `column ${quote(cell.trim())} appears twice (also column ${first.field + 1}); keep one`,
          record: 0,
          field,
          cell: true,
        });
      } else columns.push({ kind, field, name: cell.trim() });
    });
  };
  const readRow = (row: readonly string[], record: number, width: number): void => {
    if (row.length !== width) {
      if (row.every((cell) => cell.trim() === "")) return;
      pending.push({
        code: "GS_CONFIG_CSV_FIELD_COUNT",
        message: `this row has ${row.length} fields but the header has ${width} (a value holding a comma needs double quotes)`,
        record,
        field: 0,
        cell: false,
      });
      return;
    }
    for (const { kind, field, name } of columns) {
      const value = row[field] ?? "";
      // Most cells are valid addresses: no result object for them, and blank is known only once
      // the address is refused.
      const email = kind === "email" ? normalizeEmail(value) : undefined;
      if (email !== undefined) {
        rules.push({ kind, value: email });
        ruleRecords.push(record);
        ruleFields.push(field);
        continue;
      }
      if (value.trim() === "") continue;
      const normalized =
        kind === "customer_id" && /\s/.test(value.trim())
          ? ({
              ok: false,
              code: "GS_CONFIG_INVALID_VALUE",
              message: `${quote(value)} is not a Square ID (an ID has no spaces)`,
            } as const)
          : normalizeRule(kind, value, country);
      if (!normalized.ok) {
        pending.push({
          code: normalized.code,
          message: `${name}: ${normalized.message}`,
          record,
          field,
          cell: true,
        });
        continue;
      }
      rules.push({ kind, value: normalized.value });
      ruleRecords.push(record);
      ruleFields.push(field);
    }
  };

  // A syntax error anywhere is the file's one problem: the rows are read while the rest is checked.
  const error = readCsvRecords(text, (records, first) => {
    for (let i = 0; i < records.length; i++) {
      const cells = records[i] as string[];
      if (first + i === 0) readHeader(cells);
      else if (columns.length > 0 && header !== undefined) readRow(cells, first + i, header.length);
    }
  });
  if (error !== undefined) {
    pending.length = 0;
    rules.length = 0;
    ruleRecords.length = 0;
    ruleFields.length = 0;
    pending.push({ ...describeCsvError(error), cell: false });
    return result();
  }

  if (header === undefined) {
    problems.push({
      code: "GS_CONFIG_EMPTY_FILE",
      message:
        "the file is empty; a members file needs a header row naming an email, phone or customer_id column",
      file,
      line: 1,
      col: 1,
    });
    return result();
  }
  if (columns.length === 0) {
    const names = header.map((h) => quote(h.trim()));
    const listed = names.length > 10 ? `${names.slice(0, 10).join(", ")}, ...` : names.join(", ");
    const separator = /[;\t|]/.exec(header.join(","))?.[0];
    const hint =
      separator === undefined
        ? ""
        : ` (the header holds ${quote(separator === "\t" ? "\\t" : separator)}: save the file with commas between columns)`;
    pending.push({
      code: "GS_CONFIG_CSV_NO_RULE_COLUMN",
      message: `the header has no email, phone or customer_id column (its columns: ${listed})${hint}`,
      record: 0,
      field: 0,
      cell: false,
    });
    return result();
  }
  return result();
}

/** csv-parse's error as a problem at the field it was in (its `records` and `index`). */
function describeCsvError(error: CsvError): {
  code: ConfigProblemCode;
  message: string;
  record: number;
  field: number;
} {
  const record = typeof error["records"] === "number" ? error["records"] : 0;
  const field = typeof error["index"] === "number" ? error["index"] : 0;
  const messages: Partial<Record<string, string>> = {
    CSV_QUOTE_NOT_CLOSED: "this quoted value has no closing double quote",
    CSV_INVALID_CLOSING_QUOTE:
      'a closing double quote must be followed by a comma or the end of the line (write a quote inside a quoted value as "")',
    INVALID_OPENING_QUOTE:
      'a double quote inside a value that does not start with one (quote the whole value: "a ""b"" c")',
  };
  return {
    code: "GS_CONFIG_CSV_SYNTAX",
    message: `CSV syntax error: ${messages[error.code] ?? error.message}`,
    record,
    field,
  };
}
