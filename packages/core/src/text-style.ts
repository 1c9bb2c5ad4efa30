/**
 * How text is styled and measured for a terminal. The renderers take one as an option and never
 * write an escape code themselves: the CLI builds the real one (colours decided once from
 * `--no-color`, NO_COLOR, FORCE_COLOR and the TTY; widths from string-width) and hands the same
 * object to every renderer. Imports nothing: the CLI's start-up loads it (subpath
 * `@groupsync/core/text-style`) without the rest of core.
 */
export interface TextStyle {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  /**
   * Columns `text` takes on a terminal: 2 for an East Asian wide character or an emoji, 0 for a
   * combining mark. Measure text before it is styled (escape codes are not text).
   */
  readonly width: (text: string) => number;
}

const same = (text: string): string => text;

/**
 * No colours; a width of one column per UTF-16 code unit, right for ASCII. The default of every
 * renderer: the CLI passes its own.
 */
export const PLAIN_STYLE: TextStyle = {
  bold: same,
  dim: same,
  red: same,
  green: same,
  yellow: same,
  width: (text) => text.length,
};

/** `style` without its colours, its widths kept: for output that is never coloured (markdown). */
export function withoutColors(style: TextStyle): TextStyle {
  return style === PLAIN_STYLE ? style : { ...PLAIN_STYLE, width: style.width };
}

/**
 * `text` then spaces up to `columns` columns as `style.width` counts them: the one way a column
 * is aligned. Text already wider is returned whole.
 */
export function padToWidth(text: string, columns: number, style: Pick<TextStyle, "width">): string {
  const missing = columns - style.width(text);
  return missing > 0 ? text + " ".repeat(missing) : text;
}

/**
 * `text` cut to at most `columns` columns, ending with `…` when cut. Cuts between code points
 * and measures the kept part as a whole, so that a combining mark or a joined emoji stays with
 * its base.
 */
export function truncateToWidth(text: string, columns: number, style: Pick<TextStyle, "width">): string {
  if (style.width(text) <= columns) return text;
  let kept = "";
  for (const char of text) {
    if (style.width(kept + char) > columns - 1) break;
    kept += char;
  }
  return `${kept}…`;
}
