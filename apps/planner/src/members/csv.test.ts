import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "./csv.js";

describe("csvRecord", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ['say "hi"', '"say ""hi"""'],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
    ["cr\rlf", '"cr\rlf"'],
    [" padded ", " padded "],
    ["Zoë 😀", "Zoë 😀"],
  ])("quotes %j only when RFC 4180 needs it", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("ends records with CRLF", () => {
    expect(csvRecord(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });

  it("round-trips any text through csv-parse", () => {
    const text = fc.string({ unit: "grapheme-composite", maxLength: 30 });
    const awkward = fc.constantFrom('"', ",", "\n", "\r\n", "\r", " ", '""', "=1+2");
    const cell = fc.array(fc.oneof(text, awkward), { maxLength: 4 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const width = rows[0]?.length ?? 0;
          const records = rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ""));
          const parsed: unknown = parse(records.map(csvRecord).join(""), { relax_column_count: false });
          expect(parsed).toEqual(records);
        },
      ),
    );
  });
});
