import { escapeText, maskUnsafeChars, PLAIN_STYLE, type TextStyle } from "@groupsync/core";
import type { ConfigProblem } from "./problems.js";

/** Options of `formatProblems`. */
export interface FormatProblemsOptions {
  /** Colours (red message, dim gutter) and column widths (the caret's place). Default no colours. */
  readonly style?: TextStyle;
  /** Most problems shown; the rest are counted in a last line. Default 50 (Infinity: all). */
  readonly limit?: number;
  /** The text of other files by name (members files): a problem in one is excerpted from it. */
  readonly sources?: ReadonlyMap<string, string> | undefined;
}

const MAX_EXCERPT = 120;

/**
 * `file:line:col: message`, then the source line with a caret under the offending text:
 *
 * ```
 * groups.yaml:12:16: groups.vip.members[3].phone: '+1 555' is not a valid phone number
 *    12 |       - phone: "+1 555"
 *       |                ^~~~~~~~
 * ```
 */
export function formatProblems(
  problems: readonly ConfigProblem[],
  text: string,
  options: FormatProblemsOptions = {},
): string {
  const split = (t: string): string[] => t.replace(/^\uFEFF/, "").split(/\r?\n/);
  const lines = split(text);
  const others = new Map<string, string[]>();
  const linesOf = (file: string): string[] => {
    const source = options.sources?.get(file);
    if (source === undefined) return lines;
    let cached = others.get(file);
    if (cached === undefined) others.set(file, (cached = split(source)));
    return cached;
  };
  const style = options.style ?? PLAIN_STYLE;
  const limit = options.limit ?? 50;
  const shown = problems.slice(0, limit);
  const rest = problems.length - shown.length;
  const more = rest > 0 ? [`... and ${rest} more problem${rest === 1 ? "" : "s"} not shown`] : [];
  return shown
    .map((p) => {
      // The file's name and words quoted from it are data: escaped, one line each.
      const head = `${escapeText(p.file)}:${p.line}:${p.col}: ${style.red(escapeText(p.message))}`;
      const source = linesOf(p.file)[p.line - 1];
      if (source === undefined || source.trim() === "") return head;
      const { shown, caretAt } = clip(source, p.col - 1);
      const gutter = String(p.line).padStart(5);
      const pad = " ".repeat(gutter.length);
      const length = Math.max(1, Math.min(p.length ?? 1, shown.length - caretAt));
      // As many columns as the text before the caret takes on screen (a CJK character two); tabs kept.
      const lead = shown
        .slice(0, caretAt)
        .split("\t")
        .map((part) => " ".repeat(style.width(part)))
        .join("\t");
      const width = Math.max(1, style.width(shown.slice(caretAt, caretAt + length)));
      return [
        head,
        `${style.dim(`${gutter} |`)} ${shown}`,
        `${style.dim(`${pad} |`)} ${lead}${style.red(`^${"~".repeat(width - 1)}`)}`,
      ].join("\n");
    })
    .concat(more)
    .join("\n");
}

/**
 * The line, control and bidi characters masked one for one (the caret stays under its column;
 * tabs are kept, the caret's line copies them) and long lines cut around the column.
 */
function clip(line: string, index: number): { shown: string; caretAt: number } {
  let start = 0;
  if (line.length > MAX_EXCERPT)
    start = Math.max(0, Math.min(index - MAX_EXCERPT / 2, line.length - MAX_EXCERPT));
  const prefix = start > 0 ? "..." : "";
  const cut = line.slice(start, start + MAX_EXCERPT) + (start + MAX_EXCERPT < line.length ? "..." : "");
  const masked = cut
    .split("\t")
    .map((part) => maskUnsafeChars(part))
    .join("\t");
  return { shown: prefix + masked, caretAt: prefix.length + index - start };
}
