import { CST, Document, Parser, isScalar, type ScalarTag } from "yaml";
import { YAML_PARSE_OPTIONS } from "./parse-yaml.js";
import { withPlainEnv } from "./with-plain-env.js";

/** The plain data of a groups.yaml, as `doc.toJS()` would give it. */
export interface PlainYaml {
  readonly data: Record<string, unknown>;
  /** The source text of numbers written plain (`phone: +14155550100`), by mapping and key. */
  readonly numberTexts: WeakMap<object, Map<string, string>>;
}

/** Size of the pieces a large file's groups are parsed in (see `splitGroups`). */
export const PIECE_CHARS = 64 * 1024;

/**
 * Reads the plain data of a groups.yaml straight from yaml's CST, without composing a Document:
 * on large files composing the nodes (and collecting them) was half the time of parsing.
 *
 * Only the common layout is read this way: block mappings and lists, one-line scalars and one-line
 * `[a, b]`, `[]` and `{}`, comments. Each check yaml's composer makes on such tokens is made here
 * too. Anything else (aliases, anchors, tags, block scalars, `?` keys, `---`, tabs, keys that are
 * not text, a line yaml would report) returns undefined, and the caller parses the file the full
 * way, which finds the same data or the problems with their positions.
 */
export function readPlainYaml(text: string, pieceChars = PIECE_CHARS): PlainYaml | undefined {
  // Tabs and lone CRs are where yaml's indentation rules get subtle; they are rare in groups.yaml.
  if (text.includes("\t") || /\r(?!\n)/.test(text)) return undefined;
  try {
    return withPlainEnv(() => readPieces(text, pieceChars));
  } catch (error) {
    if (error instanceof NotPlainError) return undefined;
    throw error;
  }
}

/** Reads the head of the file and then each piece of its groups (see `splitGroups`). */
function readPieces(text: string, pieceChars: number): PlainYaml {
  const numberTexts = new WeakMap<object, Map<string, string>>();
  const [head = "", ...pieces] = splitGroups(text, pieceChars);
  const root = readDocumentMap(head);
  const data = readBlockMap(root, numberTexts);
  if (pieces.length === 0) return { data, numberTexts };
  // The pieces continue the head's last entry, `groups:`, whose entries are at column 3.
  const last = root.items.filter((item) => item.key || item.sep).at(-1);
  const value = last?.value;
  if (!last?.key || !isFlowScalar(last.key) || scalarText(last.key) !== "groups") notPlain();
  if (value && (value.type !== "block-map" || value.indent !== 2)) notPlain();
  const groups = isRecord(data["groups"]) ? data["groups"] : {};
  for (const piece of pieces) {
    const map = readDocumentMap(piece);
    if (map.indent !== 2) notPlain();
    const part = readBlockMap(map, numberTexts);
    for (const key of Object.keys(part)) {
      if (key in groups) notPlain();
      groups[key] = part[key];
    }
    const texts = numberTexts.get(part);
    for (const [key, number] of texts ?? []) setNumberText(numberTexts, groups, key, number);
  }
  data["groups"] = groups;
  return { data, numberTexts };
}

/**
 * Cuts a large file before lines that start an entry of `groups:` (two spaces, then a key), so
 * that each piece's tokens are read and dropped before the next is parsed: the tokens of a whole
 * 9 MiB file, all alive at once, made garbage collection a third of the time. Only when
 * `groups:` is the last top-level key (nothing after it at column 1 but comments): then such a
 * line starts an entry of `groups` in the whole file too, or the piece before it ends inside an
 * unclosed quote or bracket, which the plain reading refuses.
 */
export function splitGroups(text: string, pieceChars: number): string[] {
  if (text.length <= pieceChars) return [text];
  const header = /^groups:(?: *| +#.*)\r?$/m.exec(text);
  if (!header) return [text];
  const start = header.index + header[0].length;
  if (/^[^ #\r\n]/m.test(text.slice(start + 1))) return [text];
  const pieces: string[] = [];
  const cut = /\n {2}[^ \r\n#-]/g;
  let from = 0;
  for (;;) {
    cut.lastIndex = Math.max(start, from + pieceChars);
    const match = cut.exec(text);
    if (!match) break;
    pieces.push(text.slice(from, match.index + 1));
    from = match.index + 1;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** The top-level block mapping of a document that holds nothing else (no `---`, no directives). */
function readDocumentMap(text: string): CST.BlockMap {
  const tokens = [...new Parser().parse(text)];
  let document: CST.Document | undefined;
  for (const token of tokens) {
    if (token.type === "document" && !document) document = token;
    else if (token.type !== "comment" && token.type !== "newline" && token.type !== "space") notPlain();
  }
  if (!document || document.value?.type !== "block-map") notPlain();
  if (checkProps(document.start, "doc-start", true) !== 0) notPlain();
  for (const token of document.end ?? []) {
    if (token.type !== "comment" && token.type !== "newline" && token.type !== "space") notPlain();
  }
  return document.value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
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

/** Thrown (and caught in readPlainYaml) at the first token the plain reading does not take. */
class NotPlainError extends Error {}

function notPlain(): never {
  throw new NotPlainError("not plain");
}

/**
 * Checks a run of separator tokens as yaml's `resolveProps` does (spaces, newlines, comments,
 * which must follow white space) and counts the `indicator` tokens in it. Anchors, tags and every
 * other token are not plain.
 */
function checkProps(
  tokens: readonly CST.SourceToken[],
  indicator: CST.SourceToken["type"],
  startOnNewline: boolean,
): number {
  let hasSpace = startOnNewline;
  let found = 0;
  for (const token of tokens) {
    if (token.type === "space" || token.type === "newline") hasSpace = true;
    else if (token.type === "comment") {
      if (!hasSpace) notPlain();
    } else if (token.type === indicator && found === 0) {
      found++;
      hasSpace = false;
    } else notPlain();
  }
  return found;
}

function readNode(token: CST.Token, numberTexts: WeakMap<object, Map<string, string>>): unknown {
  if (isFlowScalar(token)) return readScalar(token, false);
  switch (token.type) {
    case "block-map":
      return readBlockMap(token, numberTexts);
    case "block-seq":
      return readBlockSeq(token, numberTexts);
    case "flow-collection":
      return readFlowCollection(token);
    default:
      return notPlain();
  }
}

function readBlockMap(
  map: CST.BlockMap,
  numberTexts: WeakMap<object, Map<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  map.items.forEach((item, i) => {
    if (item.explicitKey || checkProps(item.start, "explicit-key-ind", true) !== 0) notPlain();
    const { key, sep, value } = item;
    if (!key && !sep) {
      // Comment lines: last only; before another entry yaml reports "Map comment with trailing content".
      if (i !== map.items.length - 1) notPlain();
      return;
    }
    if (!key || !isFlowScalar(key) || key.indent !== map.indent) notPlain();
    if (key.end?.some((token) => token.type === "newline")) notPlain();
    if (checkProps(sep, "map-value-ind", false) !== 1) notPlain();
    const indicator = sep.find((token) => token.type === "map-value-ind");
    // yaml: "The : indicator must be at most 1024 chars after the start of an implicit key".
    if (!indicator || indicator.offset - key.offset > 1000) notPlain();
    // yaml: "Nested mappings are not allowed in compact mappings" (`a: b: c`).
    if (value?.type === "block-map" && !sep.some((token) => token.type === "newline")) notPlain();
    const name = readScalar(key, true);
    // Not text, a duplicate, a name on Object.prototype, or an index (which objects reorder).
    if (typeof name !== "string" || name in out || /^\d+$/.test(name)) notPlain();
    const content = value ? readNode(value, numberTexts) : null;
    out[name] = content;
    if (typeof content === "number" && value && isFlowScalar(value) && value.type === "scalar") {
      setNumberText(numberTexts, out, name, scalarText(value));
    }
  });
  return out;
}

function readBlockSeq(seq: CST.BlockSequence, numberTexts: WeakMap<object, Map<string, string>>): unknown[] {
  const out: unknown[] = [];
  seq.items.forEach((item, i) => {
    if (checkProps(item.start, "seq-item-ind", true) === 0) {
      // Comment lines, taken at the end only (like those of a mapping).
      if (item.value || i !== seq.items.length - 1) notPlain();
      return;
    }
    out.push(item.value ? readNode(item.value, numberTexts) : null);
  });
  return out;
}

/** `[a, 'b', "c"]`, `[]` or `{}` on one line. */
function readFlowCollection(flow: CST.FlowCollection): unknown {
  const close = flow.start.source === "[" ? "]" : flow.start.source === "{" ? "}" : undefined;
  if (!close || (close === "}" && flow.items.length > 0)) notPlain();
  const out: unknown[] = [];
  flow.items.forEach(({ start, key, sep, value }, i) => {
    if (key !== undefined || sep !== undefined || !value || !isFlowScalar(value)) notPlain();
    let commas = 0;
    for (const token of start) {
      if (token.type === "comma") commas++;
      else if (token.type !== "space") notPlain();
    }
    if (commas !== (i === 0 ? 0 : 1)) notPlain();
    if (value.end?.some((token) => token.type !== "space")) notPlain();
    out.push(readScalar(value, false));
  });
  const [end, ...rest] = flow.end;
  if (end?.source !== close) notPlain();
  // After the bracket, as yaml's `resolveEnd`: white space, then perhaps a comment.
  let hasSpace = false;
  for (const token of rest) {
    if (token.type === "space" || token.type === "newline") hasSpace = true;
    else if (token.type !== "comment" || !hasSpace) notPlain();
  }
  return close === "}" ? {} : out;
}

type FlowScalar = CST.FlowScalar & { type: "scalar" | "single-quoted-scalar" | "double-quoted-scalar" };

function isFlowScalar(token: CST.Token): token is FlowScalar {
  return (
    token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar"
  );
}

/**
 * A one-line scalar's text, as yaml's `resolveFlowScalar` makes it. Most are plain or quoted text
 * without escapes, whose text is the source (without its quotes): taking it as is saves yaml's
 * copy a character at a time (20,000 addresses made 600,000 short-lived strings). Escapes go to
 * yaml.
 */
function scalarText(token: FlowScalar): string {
  const { source } = token;
  if (source.includes("\n")) notPlain();
  // After the scalar, as yaml's `resolveEnd` (strict): white space, then perhaps a comment.
  let hasSpace = false;
  for (const end of token.end ?? []) {
    if (end.type === "space" || end.type === "newline") hasSpace = true;
    else if (end.type !== "comment" || !hasSpace) notPlain();
  }
  switch (token.type) {
    case "scalar":
      // yaml: "Plain value cannot start with ..."
      if (BAD_PLAIN_START.includes(source.charAt(0))) notPlain();
      return source;
    case "single-quoted-scalar":
      if (source.length < 2 || !source.endsWith("'")) notPlain();
      return source.slice(1, -1).replace(/''/g, "'");
    case "double-quoted-scalar": {
      if (source.length < 2 || !source.endsWith('"')) notPlain();
      if (!source.includes("\\")) return source.slice(1, -1);
      let failed = false;
      const resolved = CST.resolveAsScalar(token, true, () => {
        failed = true;
      });
      if (failed || !resolved) notPlain();
      return resolved.value;
    }
  }
}

const BAD_PLAIN_START = ["\t", ",", "%", "|", ">", "@", "`"];

/** A scalar's value: quoted is text; plain is typed by the YAML 1.2 core schema, as yaml does. */
function readScalar(token: FlowScalar, atKey: boolean): unknown {
  const text = scalarText(token);
  if (token.type !== "scalar") return text;
  const cache = atKey ? keyCache : undefined;
  if (cache?.has(text)) return cache.get(text);
  const value = typePlain(text, atKey);
  if (cache && cache.size >= 10_000) cache.clear();
  cache?.set(text, value);
  return value;
}

// Keys repeat (`email`, `name`, `members`): type each spelling once (bounded across files).
const keyCache = new Map<string, unknown>();

let schema: { tags: ScalarTag[]; options: Document["options"] } | undefined;

/** yaml's `findScalarTagByTest` and `tag.resolve` for a plain scalar, with the options of the full parse. */
function typePlain(text: string, atKey: boolean): unknown {
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
