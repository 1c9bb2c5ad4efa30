import { CsvError, parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsvRecords } from "../src/csv-records.js";

const OPTIONS = { record_delimiter: ["\r\n", "\n"], skip_empty_lines: true, relax_column_count: true };

/** csv-parse on the whole text: its records, or its error's code, record and field. */
function whole(text: string): { records: string[][] } | { error: [string, unknown, unknown] } {
  try {
    return { records: parse(text, OPTIONS) as string[][] };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { error: [error.code, error["records"], error["index"]] };
  }
}

function inPieces(text: string, pieceChars: number): ReturnType<typeof whole> {
  const records: string[][] = [];
  const error = readCsvRecords(
    text,
    (piece, first) => {
      expect(first).toBe(records.length);
      records.push(...piece);
    },
    pieceChars,
  );
  return error === undefined ? { records } : { error: [error.code, error["records"], error["index"]] };
}

describe("readCsvRecords", () => {
  it("reads text in pieces as csv-parse reads it whole, errors included (record and field)", () => {
    // Quotes anywhere, so malformed text too: the pieces must agree up to the first error.
    const text = fc
      .array(fc.constantFrom("a", "é", " ", ",", '"', '""', "\n", "\r\n", "\r", "x,y"), { maxLength: 40 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 12 }), (csv, pieceChars) => {
        expect(inPieces(csv, pieceChars)).toEqual(whole(csv));
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 2000) },
    );
  });

  it("cuts only after a line feed outside quotes", () => {
    const pieces: string[][][] = [];
    const error = readCsvRecords('email\n"a\nb",x\nc\n\nd', (records) => pieces.push([...records]), 1);
    expect(error).toBeUndefined();
    expect(pieces).toEqual([[["email"]], [["a\nb", "x"]], [["c"]], [["d"]]]);
  });

  it("counts an error's record from the start of the text", () => {
    const error = readCsvRecords('email\na\nb\nc"d\n', () => undefined, 1);
    expect(error?.code).toBe("INVALID_OPENING_QUOTE");
    expect(error?.["records"]).toBe(3);
  });
});
