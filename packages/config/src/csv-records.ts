import { CsvError, parse } from "csv-parse/sync";

/** About how much text csv-parse reads in one call (UTF-16 units; a piece ends at a record's end). */
export const CSV_PIECE_CHARS = 1 << 16;

/** csv-parse's options for members files (`parseMembersCsv`; `csvFieldStarts` counts alike). */
const OPTIONS = { record_delimiter: ["\r\n", "\n"], skip_empty_lines: true, relax_column_count: true };

/**
 * The records of `text` as csv-parse reads them, given piece by piece to `onRecords` with the
 * index of the piece's first record (0 is the header); csv-parse's error, if any, with `records`
 * counted from the start of the text. No callback runs for the piece with the error, nor after it.
 *
 * csv-parse's synchronous API holds every record of its input until it returns: read whole, a
 * large file's records would all be kept (and moved by the garbage collector) while only a few
 * of their cells are wanted. So the text is cut into pieces of about `pieceChars`, each after a
 * line feed preceded by an even number of double quotes. Up to its first error, csv-parse opens a
 * quoted value only at a field's start and leaves it only at a lone quote (`""` stays inside), so
 * there it is between records, not quoting: each piece reads as it would in the whole text, and
 * an error is found in the same piece, at the same record (shifted by the records before it) and
 * field. A piece may start with empty lines, which csv-parse skips either way.
 */
export function readCsvRecords(
  text: string,
  onRecords: (records: readonly string[][], first: number) => void,
  pieceChars = CSV_PIECE_CHARS,
): CsvError | undefined {
  let start = 0;
  let records = 0;
  // Quotes from `start` up to `scanned`.
  let quotes = 0;
  let scanned = 0;
  while (start < text.length) {
    let end = text.length;
    for (let lf = text.indexOf("\n", start + pieceChars); lf !== -1; lf = text.indexOf("\n", lf + 1)) {
      quotes += countQuotes(text, scanned, lf);
      scanned = lf;
      if (quotes % 2 === 0) {
        end = lf + 1;
        break;
      }
    }
    let piece: string[][];
    try {
      piece = parse(
        start === 0 && end === text.length ? text : text.slice(start, end),
        OPTIONS,
      ) as string[][];
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      if (typeof error["records"] === "number") error["records"] += records;
      return error;
    }
    onRecords(piece, records);
    records += piece.length;
    start = end;
    quotes = 0;
    scanned = end;
  }
  return undefined;
}

/** The double quotes in `text` from `from` up to `to`. */
function countQuotes(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('"', from); i !== -1 && i < to; i = text.indexOf('"', i + 1)) n++;
  return n;
}
