/**
 * The one sanitizer for strings from outside (Square's data, a user's file) at the output edge:
 * a terminal or CI log (`escapeText`, `quoteText`), a pull-request comment (`escapeMarkdown`), JSON
 * text (`escapeQuotedUnsafe`), a spreadsheet (`neutralizeCsvCell`). Data is never markup: a name holding
 * `ESC[31m` or `\nPlan: 0 to create` is shown as those characters, escaped, on its own line.
 */

/**
 * What a terminal, a log viewer or a diff would act on or hide: C0 controls (tab, CR, LF, ESC...),
 * DEL, C1 controls (U+0080-U+009F: U+009B is a CSI on some terminals), the line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and isolates that reorder text
 * ("Trojan Source": U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
 */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const HAS_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Whether `text` holds a character {@link escapeText} would escape. */
export function hasUnsafeChars(text: string): boolean {
  return HAS_UNSAFE.test(text);
}

/**
 * `text` for a terminal or a log, one line: each unsafe character (see above) as a visible escape,
 * `\n`, `\r`, `\t`, else `\u001b` (four lower-case hex digits). Everything else is kept as it is.
 */
export function escapeText(text: string): string {
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/**
 * `text` in double quotes, as Terraform prints a string: `\` and `"` escaped too, so that a name
 * cannot close its quotes and continue the line, and {@link escapeText} for the rest.
 */
export function quoteText(text: string): string {
  return `"${escapeText(text.replace(/["\\]/g, "\\$&"))}"`;
}

/**
 * Each unsafe character as one `mask` character (default U+FFFD): for excerpts under which a caret
 * or column must stay aligned. Prefer {@link escapeText} elsewhere.
 */
export function maskUnsafeChars(text: string, mask = "\uFFFD"): string {
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, mask) : text;
}

// Inline markup CommonMark and GitHub act on: emphasis, code spans, links and images, tables,
// headings, lists, block quotes, setext underlines, strikethrough, footnotes, escapes.
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-=|!~^$]/g;
const ZERO_WIDTH_SPACE = "&#8203;";

/**
 * `text` as plain text in a GitHub comment (a paragraph, a list item, a table cell): no raw HTML
 * (`<`, `>`, `&` as entities), no markup (punctuation backslash-escaped), no `@mention` and no bare
 * link (a zero-width space, written as an entity, after `@` and in `://` and `www.`), and the
 * unsafe characters escaped as {@link escapeText} does.
 */
export function escapeMarkdown(text: string): string {
  return escapeText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MARKDOWN_PUNCTUATION, "\\$&")
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}${ZERO_WIDTH_SPACE}.`);
}

// What JSON.stringify and yaml's double quotes leave raw; in such text they stand only inside strings.
const QUOTED_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text (from `JSON.stringify`), or YAML whose strings holding unsafe characters are all
 * double-quoted, with the unsafe characters those writers leave raw (DEL, C1, the separators, the
 * bidi controls) as `\uXXXX` escapes: the same data once parsed, harmless on a terminal or in a
 * diff. C0 controls are already escaped by both writers.
 */
export function escapeQuotedUnsafe(text: string): string {
  return text.replace(QUOTED_UNSAFE, escapeChar);
}

/**
 * A CSV cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
 * a CR: OWASP's CSV injection list) with a `'` in front, so that it is shown as text. A cell that
 * is only a signed number (`+14155550100`, `-5`) is kept: no formula hides in it, and phones in
 * E.164 stay as they are. Quoting for commas and quotes is the CSV writer's job.
 */
export function neutralizeCsvCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
}
