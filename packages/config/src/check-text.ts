import { MAX_CONFIG_BYTES } from "./limits.js";
import { LineIndex } from "./positions.js";
import type { ConfigProblem } from "./problems.js";
import { charSet } from "./char-set.js";

/** The text to parse (without a leading BOM), or the problems that stop parsing before it starts. */
export type CheckedText =
  | { readonly ok: true; readonly text: string; readonly warnings: ConfigProblem[] }
  | { readonly ok: false; readonly problems: ConfigProblem[]; readonly warnings: ConfigProblem[] };

const BOM = "\uFEFF";
// C0 controls other than tab, LF and CR, and DEL: YAML forbids them unescaped (YAML 1.2 §5.1),
// and in practice they mean a binary file or a bad encoding.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0000-\u007F]/;

/** UTF-8 size of a string without allocating a buffer. */
export function utf8ByteLength(text: string): number {
  if (!NOT_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Options of {@link checkText}. */
export interface CheckTextOptions {
  /** Largest file accepted, in UTF-8 bytes. Default MAX_CONFIG_BYTES. */
  readonly maxBytes?: number;
}

/** Size (before anything else), byte-order mark, binary content and nesting checks shared by parse and fmt. */
export function checkText(raw: string, file: string, options: CheckTextOptions = {}): CheckedText {
  const maxBytes = options.maxBytes ?? MAX_CONFIG_BYTES;
  const warnings: ConfigProblem[] = [];
  // Each UTF-16 unit is at least one UTF-8 byte and at most three: count only in between.
  const tooLarge = raw.length > maxBytes || (raw.length * 3 > maxBytes && utf8ByteLength(raw) > maxBytes);
  if (tooLarge) {
    const size =
      raw.length > maxBytes ? `more than ${formatBytes(maxBytes)}` : formatBytes(utf8ByteLength(raw));
    return {
      ok: false,
      warnings,
      problems: [
        {
          code: "GS_CONFIG_FILE_TOO_LARGE",
          message: `the file is too large (${size}); the limit is ${formatBytes(maxBytes)}`,
          file,
          line: 1,
          col: 1,
        },
      ],
    };
  }
  let text = raw;
  if (text.startsWith(BOM)) {
    text = text.slice(1);
    warnings.push({
      code: "GS_CONFIG_BOM",
      message: "the file starts with a byte-order mark (BOM); it is ignored, and `groupsync fmt` removes it",
      file,
      line: 1,
      col: 1,
    });
  }
  const match = CONTROL.exec(text);
  if (match) {
    const pos = new LineIndex(text).at(match.index);
    const byte = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
    const what = byte === "00" ? "a NUL byte (0x00)" : `a control character (0x${byte})`;
    return {
      ok: false,
      warnings,
      problems: [
        {
          code: "GS_CONFIG_BINARY_CONTENT",
          message: `the file contains ${what}; it must be plain UTF-8 text (is this a binary file?)`,
          file,
          ...pos,
          length: 1,
        },
      ],
    };
  }
  const deep = checkNesting(text, file);
  if (deep !== undefined) return { ok: false, warnings, problems: [deep] };
  return { ok: true, text, warnings };
}

/**
 * The problem of a file nested deeper than MAX_NESTING, or undefined: before yaml's parser, which
 * recurses (a file of 100,000 `[` would exhaust the stack).
 */
function checkNesting(text: string, file: string): ConfigProblem | undefined {
  const deep = findDeepNesting(text);
  if (deep === undefined) return undefined;
  return {
    code: "GS_CONFIG_TOO_DEEP",
    message: `the file nests lists or mappings too deeply (more than ${MAX_NESTING} levels); groupsync's file needs at most 5`,
    file,
    ...new LineIndex(text).at(deep),
    length: 1,
  };
}

/** Deepest nesting accepted: `[[[...` or indentation (counting `- ` as two columns) / 2. */
export const MAX_NESTING = 64;

// The characters findDeepNesting acts on after the start of a line.
const OUTSIDE_QUOTES = charSet("\n#\"'[]{}");
const IN_DOUBLE_QUOTES = charSet('\n"\\');
const IN_SINGLE_QUOTES = charSet("\n'");

/**
 * Offset where nesting passes MAX_NESTING, or undefined. A cheap scan before YAML parses:
 * the parser and everything after it recurse, and a file of 100,000 `[` would exhaust the stack.
 * Over-counts (a `[` inside a plain scalar) only matter past 64 levels, which no real file has.
 */
function findDeepNesting(text: string): number | undefined {
  let depth = 0;
  let quote = "";
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    if (!lineStart) {
      // Skip to the next character that can matter here (most are letters of scalars).
      const stops = quote === '"' ? IN_DOUBLE_QUOTES : quote === "'" ? IN_SINGLE_QUOTES : OUTSIDE_QUOTES;
      while (i < text.length && stops[text.charCodeAt(i)] !== 1) i++;
      if (i === text.length) return undefined;
    }
    const c = text[i];
    if (c === "\n") {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      const dash = c === "-" && (text[i + 1] === " " || text[i + 1] === "\n");
      if (c === " " || dash) {
        indent += dash ? 2 : 1;
        if (indent > MAX_NESTING * 2) return i;
        if (dash && text[i + 1] === " ") i++;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\t")) {
      const end = text.indexOf("\n", i);
      i = (end === -1 ? text.length : end) - 1;
    } else if ((c === '"' || c === "'") && startsScalar(text, i)) quote = c;
    else if (c === "[" || c === "{") {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return undefined;
}

/** `5 MiB`, `12.3 MiB`, `812 KiB`, `17 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${trimZero(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${trimZero(n / 1024)} KiB`;
  return `${n} bytes`;
}

function trimZero(n: number): string {
  return n.toFixed(1).replace(/\.0$/, "");
}

/** Whether a quote at `i` opens a quoted scalar (after `: `, `- `, `[`, `{`, `,`, `? ` or at line start). */
function startsScalar(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === " " || text[j] === "\t")) j--;
  return j < 0 || "\n:-[{,?".includes(text[j] ?? "");
}
