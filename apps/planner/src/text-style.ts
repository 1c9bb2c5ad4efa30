import { createRequire } from "node:module";
import { styleText } from "node:util";
import { PLAIN_STYLE, type TextStyle } from "@groupsync/core/text-style";

// string-width is loaded on the first text that is not printable ASCII (see `displayWidth`):
// its Unicode tables and Intl.Segmenter cost every command's start more than the command itself
// (validate) when loaded up front. The bundle keeps it in dist/string-width.cjs beside itself.
const require = createRequire(import.meta.url);
let stringWidth: ((text: string) => number) | undefined;

/**
 * Columns `text` takes on a terminal, as string-width counts them (East Asian wide characters
 * and emoji two, combining marks none). Printable ASCII, nearly every string, is its length:
 * the same shortcut string-width takes first.
 */
export function displayWidth(text: string): number {
  if (/^[\u0020-\u007e]*$/.test(text)) return text.length;
  stringWidth ??= (require("string-width") as typeof import("string-width")).default;
  return stringWidth(text);
}

/**
 * Back to the start of the line and erase it: how the progress line redraws itself on stderr.
 * The one escape code the CLI writes itself; colours go through `node:util`'s `styleText`.
 */
export const ERASE_LINE = "\r\u001b[2K";

/** What decides whether output is coloured. */
export interface ColorSignals {
  /** `--color` (true) / `--no-color` (false), or undefined when neither was given. */
  readonly flag: boolean | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal. */
  readonly isTTY: boolean;
}

/**
 * Colours on or off, decided once per command: `--no-color` wins; then FORCE_COLOR (on, unless
 * `0` or `false`) and NO_COLOR (off when set and not empty, https://no-color.org), in the order
 * Node.js itself reads them; then whether stdout is a terminal.
 */
export function colorEnabled({ flag, env, isTTY }: ColorSignals): boolean {
  if (flag === false) return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  if ((env["NO_COLOR"] ?? "") !== "") return false;
  return isTTY;
}

// validateStream: false, because the decision above is the only one: Node's own look at
// process.stdout and process.env would ignore the streams and environment `run()` was given.
const ansi =
  (format: "bold" | "dim" | "red" | "green" | "yellow") =>
  (text: string): string =>
    styleText(format, text, { validateStream: false });

/**
 * The text style the CLI hands to every renderer, core's and config's and its own: ANSI colours
 * through `node:util` when `color`, and {@link displayWidth} either way.
 */
export function createTextStyle(color: boolean): TextStyle {
  const width = displayWidth;
  if (!color) return { ...PLAIN_STYLE, width };
  return {
    bold: ansi("bold"),
    dim: ansi("dim"),
    red: ansi("red"),
    green: ansi("green"),
    yellow: ansi("yellow"),
    width,
  };
}
