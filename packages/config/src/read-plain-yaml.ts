import { Document, isScalar, type ScalarTag } from "yaml";
import { charSet } from "./char-set.js";
import { YAML_PARSE_OPTIONS } from "./parse-yaml.js";

/** The plain data of a groups.yaml, as `doc.toJS()` would give it. */
export interface PlainYaml {
  readonly data: Record<string, unknown>;
  /** The source text of numbers written plain (`phone: +14155550100`), by mapping and key. */
  readonly numberTexts: WeakMap<object, Map<string, string>>;
}

/**
 * Reads the plain data of a groups.yaml in one pass over its text, without yaml's lexer and
 * parser: on large files their tokens (and collecting them) were nine tenths of the time.
 *
 * Only a narrow, common layout is read: a top-level block mapping at column 1; block mappings
 * and lists (`- ` then one space; a list may sit at its key's column); keys that are plain
 * (no spaces, `#`, `:` or flow indicators) or quoted, followed by `: ` or `:` at the end of the
 * line; values that are one-line plain, single- or double-quoted scalars, `[a, "b"]`, `[]` or
 * `{}`; comments after white space; blank lines; LF or CRLF. Anything else (anchors, aliases,
 * tags, block scalars, multi-line scalars, `?` keys, `---`, directives, tabs, uneven
 * indentation, duplicate keys, unusual characters, ...) returns undefined, and the caller parses
 * the file the full way, which finds the same data or the problems with their positions.
 */
export function readPlainYaml(text: string): PlainYaml | undefined {
  // Tabs are where YAML's indentation and white-space rules get subtle; groups.yaml has none.
  if (text.includes("\t")) return undefined;
  try {
    return new Scanner(text).readDocument();
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/** Thrown (and caught in readPlainYaml) at the first thing the plain reading does not take. */
const NOT_PLAIN = new Error("not plain");

function notPlain(): never {
  throw NOT_PLAIN;
}

/**
 * Deepest nesting read here, beyond the 5 of a groups.yaml: a deeper file is left to the full
 * parse, after the nesting scan (`checkNesting`), since this reading recurses.
 */
const MAX_PLAIN_DEPTH = 16;

const SPACE = 0x20;
const HASH = 0x23;
const DOUBLE = 0x22;
const SINGLE = 0x27;
const DASH = 0x2d;
const COLON = 0x3a;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CR = 0x0d;

// YAML indicators (YAML 1.2 §5.3) and `.` (`...` ends a document): a plain key starting with one
// is left to yaml.
const NOT_KEY_START = charSet("-?:,[]{}#&*!|>'\"%@`.");
// What a plain value may not start with: indicators (yaml: "Plain value cannot start with ...").
// `-` is taken when a non-space follows (`-5`); `[`, `{` and quotes are read before this check.
const NOT_VALUE_START = charSet("?:,[]{}#&*!|>'\"%@`");
// Not inside a plain key: white space, comments, flow indicators and quotes.
const NOT_IN_KEY = charSet(" #,[]{}'\"");
// Not inside a plain item of `[a, b]`: what would make it a flow pair, a nested flow, a comment
// or a quoted part.
const NOT_IN_FLOW_ITEM = charSet(":#[]{}'\"");
// First characters a YAML 1.2 core-schema plain scalar must have to be anything but text: null
// (`~`, `null`), bool, int (`0x`, `0o`, signs), float (`.inf`, `.5`). See `typePlain`.
const TYPED_START = charSet("~nNtTfF0123456789+-.");

// An escape of one character after `\` in a double-quoted scalar, as yaml resolves it (YAML 1.2
// §5.7); `\x`, `\u`, `\U` are read apart. A tab (`\` then tab) never reaches here (no tabs).
const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
};

/**
 * The scanner walks the text a line at a time. `readMap` and `readSeq` are called with the
 * current line at their column and return at the first line less indented (or at the end);
 * a line more indented than they expect, or between two columns, is not plain.
 */
class Scanner {
  private readonly text: string;
  readonly numberTexts = new WeakMap<object, Map<string, string>>();
  /** Column of the current line's content (-1 at the end of the text). */
  private indent = -1;
  /** Where the scanner is on the current line. */
  private pos = 0;
  /** End of the current line's content (before `\r\n` or `\n`). */
  private lineEnd = 0;
  /** Start of the next line. */
  private nextLine = 0;
  /** Mappings and lists open: a groups.yaml has 5 at most, and the reading recurses. */
  private depth = 0;

  constructor(text: string) {
    this.text = text;
  }

  readDocument(): PlainYaml {
    this.toContentLine(0);
    // An empty file, a top-level list or scalar, or an indented top-level mapping: yaml's to report.
    if (this.indent !== 0 || this.atDash()) notPlain();
    const data = this.readMap(0);
    if (!this.atEnd()) notPlain();
    return { data, numberTexts: this.numberTexts };
  }

  private atEnd(): boolean {
    return this.indent === -1;
  }

  /** Moves to the first line from `from` that holds more than spaces or a comment. */
  private toContentLine(from: number): void {
    const { text } = this;
    const length = text.length;
    while (from < length) {
      const newline = text.indexOf("\n", from);
      const next = newline === -1 ? length : newline + 1;
      let end = newline === -1 ? length : newline;
      if (newline !== -1 && end > from && text.charCodeAt(end - 1) === CR) end--;
      let i = from;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i < end) {
        if (text.charCodeAt(i) !== HASH) {
          this.indent = i - from;
          this.pos = i;
          this.lineEnd = end;
          this.nextLine = next;
          return;
        }
        this.checkComment(i, end);
      }
      from = next;
    }
    this.indent = -1;
    this.pos = this.lineEnd = this.nextLine = length;
  }

  private nextContentLine(): void {
    this.toContentLine(this.nextLine);
  }

  /** A comment's text: anything printable (a lone CR or an odd character is left to yaml). */
  private checkComment(from: number, end: number): void {
    const { text } = this;
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < SPACE) notPlain();
      if (c >= 0x7f) i = this.checkWide(c, i);
    }
  }

  /**
   * A character from DEL up: C1 controls, NEL, line and paragraph separators, a BOM inside the
   * text, non-characters and lone surrogates are left to yaml. Returns the index of the
   * character's last code unit.
   */
  private checkWide(c: number, i: number): number {
    if (c <= 0x9f || c === 0x2028 || c === 0x2029 || c === 0xfeff || c >= 0xfffe) notPlain();
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = this.text.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) notPlain();
      return i + 1;
    }
    return i;
  }

  /** `-` followed by a space or the end of the line, at the scanner's position. */
  private atDash(): boolean {
    const { text, pos } = this;
    return text.charCodeAt(pos) === DASH && (pos + 1 === this.lineEnd || text.charCodeAt(pos + 1) === SPACE);
  }

  /** Skips spaces; true at the end of the line or at a comment (which must follow a space). */
  private atLineRest(): boolean {
    const { text } = this;
    const start = this.pos;
    let i = start;
    while (i < this.lineEnd && text.charCodeAt(i) === SPACE) i++;
    this.pos = i;
    if (i === this.lineEnd) return true;
    if (text.charCodeAt(i) !== HASH) return false;
    // yaml: "Comments must be separated from other tokens by white space characters".
    if (i === start || text.charCodeAt(i - 1) !== SPACE) notPlain();
    this.checkComment(i + 1, this.lineEnd);
    this.pos = this.lineEnd;
    return true;
  }

  /** After a value: nothing, or a comment, on the rest of its line. */
  private endValue(): void {
    if (!this.atLineRest()) notPlain();
  }

  /** A block mapping whose keys are at `column`; the current line is its first entry. */
  private readMap(column: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      if (this.atDash()) notPlain();
      const key = this.readKey();
      // A duplicate, a name on Object.prototype, or an index (which objects put first).
      if (key in out || isIndex(key)) notPlain();
      if (this.atLineRest()) {
        this.nextContentLine();
        let value: unknown = null;
        if (this.indent > column) value = this.readBlock();
        else if (this.indent === column && this.atDash()) value = this.nested(() => this.readSeq(column));
        out[key] = value;
      } else {
        out[key] = this.readValue(out, key);
        this.nextContentLine();
      }
      if (this.indent > column) notPlain();
      if (this.indent < column) return out;
    }
  }

  /** A block list whose `-` are at `column`; the current line is its first item. */
  private readSeq(column: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      if (!this.atDash()) return out;
      const start = this.pos + 2;
      this.pos++;
      if (this.atLineRest()) {
        this.nextContentLine();
        out.push(this.indent > column ? this.readBlock() : null);
      } else {
        // One space after `-`: the item's content is at `column + 2`, as a compact mapping's keys.
        if (this.pos !== start || this.atDash()) notPlain();
        if (this.startsKey()) {
          this.indent = column + 2;
          out.push(this.nested(() => this.readMap(column + 2)));
        } else {
          out.push(this.readValue(undefined, ""));
          this.nextContentLine();
        }
      }
      if (this.indent > column) notPlain();
      if (this.indent < column) return out;
    }
  }

  /** A mapping or list starting on the current line, at its column. */
  private readBlock(): unknown {
    return this.nested(() => (this.atDash() ? this.readSeq(this.indent) : this.readMap(this.indent)));
  }

  /** `read()` one level deeper: past MAX_PLAIN_DEPTH the file is not plain. */
  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_PLAIN_DEPTH) notPlain();
    const value = read();
    this.depth--;
    return value;
  }

  /** Whether a key and `:` start at the scanner's position (which it does not move). */
  private startsKey(): boolean {
    const { text } = this;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === DOUBLE || c === SINGLE) {
      if (c === DOUBLE) this.readDouble();
      else this.readSingle();
      const after = this.pos;
      this.pos = start;
      return text.charCodeAt(after) === COLON;
    }
    for (let i = start; i < this.lineEnd; i++) {
      const d = text.charCodeAt(i);
      if (d === COLON && (i + 1 === this.lineEnd || text.charCodeAt(i + 1) === SPACE)) return true;
      if (d === SPACE && text.charCodeAt(i + 1) === HASH) return false;
    }
    return false;
  }

  /** A key and its `:` (followed by a space or the end of the line); the position is after `:`. */
  private readKey(): string {
    const { text } = this;
    const start = this.pos;
    const c = text.charCodeAt(start);
    let key: string;
    if (c === DOUBLE) key = this.readDouble();
    else if (c === SINGLE) key = this.readSingle();
    else {
      if (c < 0x80 && NOT_KEY_START[c] === 1) notPlain();
      let i = start;
      for (; i < this.lineEnd; i++) {
        const d = text.charCodeAt(i);
        if (d === COLON) break;
        if (d < SPACE) notPlain();
        if (d < 0x80) {
          if (NOT_IN_KEY[d] === 1) notPlain();
        } else i = this.checkWide(d, i);
      }
      this.pos = i;
      key = text.slice(start, i);
      if (TYPED_START[c] === 1 && typeof typeKey(key) !== "string") notPlain();
    }
    const colon = this.pos;
    if (text.charCodeAt(colon) !== COLON) notPlain();
    if (colon + 1 !== this.lineEnd && text.charCodeAt(colon + 1) !== SPACE) notPlain();
    // yaml: "The : indicator must be at most 1024 chars after the start of an implicit key".
    if (colon - start > 1000) notPlain();
    this.pos = colon + 1;
    return key;
  }

  /**
   * A value on the rest of the line (a scalar or a one-line flow collection) and what may follow
   * it. A plain number in a mapping keeps its source text.
   */
  private readValue(map: Record<string, unknown> | undefined, key: string): unknown {
    const { text } = this;
    const start = this.pos;
    const c = text.charCodeAt(start);
    let value: unknown;
    if (c === DOUBLE) value = this.readDouble();
    else if (c === SINGLE) value = this.readSingle();
    else if (c === OPEN_BRACKET) value = this.readFlowSeq();
    else if (c === OPEN_BRACE) {
      // Only `{}`.
      this.pos++;
      this.skipSpaces();
      if (text.charCodeAt(this.pos) !== CLOSE_BRACE) notPlain();
      this.pos++;
      value = {};
    } else {
      // `key: - a` (a list on the line of its key) and indicators: yaml's to report.
      if ((c < 0x80 && NOT_VALUE_START[c] === 1) || this.atDash()) notPlain();
      const source = this.readPlain();
      value = TYPED_START[c] === 1 ? typePlain(source, false) : source;
      if (typeof value === "number" && map !== undefined) setNumberText(this.numberTexts, map, key, source);
      return value;
    }
    this.endValue();
    return value;
  }

  /**
   * A one-line plain scalar in a block (without its trailing spaces), up to a comment or the end
   * of the line. `: ` inside would be a nested mapping (`a: b: c`), which yaml refuses.
   */
  private readPlain(): string {
    const { text, lineEnd } = this;
    const start = this.pos;
    let last = start;
    let i = start;
    for (; i < lineEnd; i++) {
      const d = text.charCodeAt(i);
      if (d === SPACE) {
        if (text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (d === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) notPlain();
      if (d < SPACE) notPlain();
      if (d >= 0x7f) i = this.checkWide(d, i);
      last = i + 1;
    }
    this.pos = i;
    this.endValue();
    return text.slice(start, last);
  }

  /** `[a, "b", 'c']` or `[]` on one line; items are scalars. */
  private readFlowSeq(): unknown[] {
    const { text } = this;
    const out: unknown[] = [];
    this.pos++;
    this.skipSpaces();
    if (text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.pos >= this.lineEnd) notPlain();
      const c = text.charCodeAt(this.pos);
      if (c === DOUBLE) out.push(this.readDouble());
      else if (c === SINGLE) out.push(this.readSingle());
      else {
        if ((c < 0x80 && NOT_VALUE_START[c] === 1) || c === DASH) notPlain();
        const start = this.pos;
        let last = start;
        let i = start;
        for (; i < this.lineEnd; i++) {
          const d = text.charCodeAt(i);
          if (d === COMMA || d === CLOSE_BRACKET) break;
          if (d === SPACE) continue;
          if (d < SPACE || (d < 0x80 && NOT_IN_FLOW_ITEM[d] === 1)) notPlain();
          if (d >= 0x7f) i = this.checkWide(d, i);
          last = i + 1;
        }
        this.pos = i;
        const source = text.slice(start, last);
        out.push(TYPED_START[c] === 1 ? typePlain(source, false) : source);
      }
      this.skipSpaces();
      const d = text.charCodeAt(this.pos);
      this.pos++;
      if (d === CLOSE_BRACKET) return out;
      if (d !== COMMA) notPlain();
      this.skipSpaces();
      // `[a, ]` and `[a, , b]`: left to yaml.
      const e = text.charCodeAt(this.pos);
      if (e === COMMA || e === CLOSE_BRACKET) notPlain();
    }
  }

  private skipSpaces(): void {
    while (this.pos < this.lineEnd && this.text.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** `"..."` closed on the same line, with yaml's escapes; the position is after the quote. */
  private readDouble(): string {
    const { text, lineEnd } = this;
    let i = this.pos + 1;
    let from = i;
    let out = "";
    for (;;) {
      if (i >= lineEnd) notPlain();
      const c = text.charCodeAt(i);
      if (c === DOUBLE) break;
      if (c === BACKSLASH) {
        out += text.slice(from, i);
        const next = text.charAt(i + 1);
        const escaped = ESCAPES[next];
        if (escaped !== undefined && i + 1 < lineEnd) {
          out += escaped;
          i += 2;
        } else {
          const digits = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
          if (digits === 0 || i + 2 + digits > lineEnd) notPlain();
          const hex = text.slice(i + 2, i + 2 + digits);
          for (let k = 0; k < digits; k++) if (!isHexDigit(hex.charCodeAt(k))) notPlain();
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) notPlain();
          out += String.fromCodePoint(code);
          i += 2 + digits;
        }
        from = i;
        continue;
      }
      if (c < SPACE) notPlain();
      if (c >= 0x7f) i = this.checkWide(c, i);
      i++;
    }
    this.pos = i + 1;
    return out + text.slice(from, i);
  }

  /** `'...'` closed on the same line (`''` is a quote); the position is after the quote. */
  private readSingle(): string {
    const { text, lineEnd } = this;
    let i = this.pos + 1;
    let from = i;
    let out = "";
    for (;;) {
      if (i >= lineEnd) notPlain();
      const c = text.charCodeAt(i);
      if (c === SINGLE) {
        if (text.charCodeAt(i + 1) !== SINGLE || i + 1 >= lineEnd) break;
        out += text.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      if (c < SPACE) notPlain();
      if (c >= 0x7f) i = this.checkWide(c, i);
      i++;
    }
    this.pos = i + 1;
    return out + text.slice(from, i);
  }
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Digits only: a key JavaScript objects would order before the others. */
function isIndex(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function setNumberText(
  numberTexts: WeakMap<object, Map<string, string>>,
  map: object,
  key: string,
  text: string,
): void {
  let texts = numberTexts.get(map);
  if (!texts) numberTexts.set(map, (texts = new Map()));
  texts.set(key, text);
}

// Keys repeat (`name`, `members`): type each spelling once (bounded across files).
const keyCache = new Map<string, unknown>();

function typeKey(text: string): unknown {
  if (keyCache.has(text)) return keyCache.get(text);
  const value = typePlain(text, true);
  if (keyCache.size >= 10_000) keyCache.clear();
  keyCache.set(text, value);
  return value;
}

let schema: { tags: ScalarTag[]; options: Document["options"] } | undefined;

/**
 * yaml's `findScalarTagByTest` and `tag.resolve` for a plain scalar, with the options of the full
 * parse (YAML 1.2 core schema: `~`/`null`, `true`/`false`, `0o17`, `0x1F`, `+1`, `.inf`, `1e3`
 * are not text). Called only for text starting with one of TYPED_START, the first characters
 * every core-schema tag but text needs (`parse-valid.test.ts` pins the tags).
 */
function typePlain(text: string, atKey: boolean): unknown {
  // `null`, `true`, `false` in their three spellings: any other length starting with a letter is text.
  const letter = text.charCodeAt(0) | 0x20;
  if (letter >= 0x61 && letter <= 0x7a && text.length !== 4 && text.length !== 5) return text;
  if (!schema) {
    const doc = new Document(undefined, YAML_PARSE_OPTIONS);
    // Collection tags have no `test`: leaving them out changes no match.
    const tags = doc.schema.tags.filter((tag): tag is ScalarTag => tag.collection === undefined);
    schema = { tags, options: doc.options };
  }
  const tag = schema.tags.find(
    (t) => (t.default === true || (atKey && t.default === "key")) && t.test?.test(text) === true,
  );
  // No match: yaml's string tag, which resolves to the text itself.
  if (!tag) return text;
  let failed = false;
  let value: unknown;
  try {
    value = tag.resolve(
      text,
      () => {
        failed = true;
      },
      schema.options,
    );
  } catch {
    notPlain();
  }
  if (failed) notPlain();
  return isScalar(value) ? value.value : value;
}
