import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvFieldStarts } from "../src/csv-field-starts.js";

// The positions of problems in members files come from csvFieldStarts, the values from
// csv-parse: the two must count records and fields alike.
const field = fc.string({ unit: fc.constantFrom("a", "é", " ", ",", '"', "\n", "\r", "x"), maxLength: 6 });
const quoteIfNeeded = (value: string, always: boolean) =>
  always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

describe("csvFieldStarts", () => {
  it("finds where csv-parse's fields start, with CRLF, LF, quotes and empty lines", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(field, fc.boolean()), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.constantFrom("\n", "\r\n", "\n\n", "\r\n\r\n"), { minLength: 6, maxLength: 6 }),
        (rows, endings) => {
          // A lone empty unquoted field is an empty line, which csv-parse skips: quote it.
          const written = rows.map((row) =>
            row.map(([value, always]) => quoteIfNeeded(value, always || (row.length === 1 && value === ""))),
          );
          const text = written.map((row, i) => row.join(",") + endings[i]).join("");
          const records = parse(text, {
            record_delimiter: ["\r\n", "\n"],
            skip_empty_lines: true,
            relax_column_count: true,
          }) as string[][];
          expect(records).toEqual(rows.map((row) => row.map(([value]) => value)));
          const starts = csvFieldStarts(text, new Set(rows.map((_, i) => i)));
          written.forEach((row, r) =>
            row.forEach((cell, f) =>
              expect(text.slice(starts.get(r)?.[f] ?? -1).startsWith(cell)).toBe(true),
            ),
          );
        },
      ),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 500) },
    );
  });

  it("stops once the records asked for are found", () => {
    expect(csvFieldStarts("a,b\nc,d\ne,f\n", new Set([1]))).toEqual(new Map([[1, [4, 6]]]));
  });
});
