const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Where each field of the records `wanted` starts (UTF-16 offsets into `text`), for pointing a
 * problem at a cell: csv-parse gives values, not positions, and asking it for them costs several
 * times the parse. Records are counted as csv-parse counts them with the options of
 * `parseMembersCsv` (`,` between fields, `"` quotes with `""` inside, `\r\n` or `\n` between
 * records, empty lines skipped); the header is record 0. Only called for a file with problems.
 */
export function csvFieldStarts(text: string, wanted: ReadonlySet<number>): Map<number, number[]> {
  const found = new Map<number, number[]>();
  let record = 0;
  let i = 0;
  const n = text.length;
  while (i < n && found.size < wanted.size) {
    // An empty line is no record.
    if (text.charCodeAt(i) === LF) {
      i++;
      continue;
    }
    if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) {
      i += 2;
      continue;
    }
    const starts: number[] = [];
    for (;;) {
      starts.push(i);
      if (text.charCodeAt(i) === QUOTE) {
        // Quoted: up to the quote not doubled; what follows it up to the delimiter is csv-parse's error.
        for (i++; i < n; i++) {
          if (text.charCodeAt(i) !== QUOTE) continue;
          if (text.charCodeAt(i + 1) === QUOTE) i++;
          else break;
        }
        i++;
      }
      let c = text.charCodeAt(i);
      while (i < n && c !== COMMA && c !== LF && !(c === CR && text.charCodeAt(i + 1) === LF)) {
        c = text.charCodeAt(++i);
      }
      if (c === COMMA && i < n) {
        i++;
        continue;
      }
      i += c === CR ? 2 : 1;
      break;
    }
    if (wanted.has(record)) found.set(record, starts);
    record++;
  }
  return found;
}

/** The width of the cell written at `offset`, its quotes included. */
export function csvCellLength(text: string, offset: number): number {
  let i = offset;
  if (text.charCodeAt(i) === QUOTE) {
    for (i++; i < text.length; i++) {
      if (text.charCodeAt(i) !== QUOTE) continue;
      if (text.charCodeAt(i + 1) === QUOTE) i++;
      else return i + 1 - offset;
    }
    return i - offset;
  }
  for (
    let c = text.charCodeAt(i);
    i < text.length && c !== COMMA && c !== LF && c !== CR;
    c = text.charCodeAt(++i)
  );
  return i - offset;
}
