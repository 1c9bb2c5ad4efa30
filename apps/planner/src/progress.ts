import type { Output } from "./io.js";
import { ERASE_LINE } from "./text-style.js";

/**
 * Progress on stderr. On a terminal: one line redrawn in place (`[#####-----] 12/40 Adding
 * members`); elsewhere (CI logs): only the permanent lines, no redraws, written in batches at
 * most 200 ms late.
 */
export interface Progress {
  /** Sets the current task and its counts; redraws the bar (terminal only). */
  update(label: string, done: number, total?: number): void;
  /** A permanent line (always shown); the bar is redrawn under it. */
  line(text: string): void;
  /** A line shown only when not on a terminal (where the bar says the same). */
  quietLine(text: string): void;
  /**
   * What the command is waiting for (`waiting for Square (...)...`): on a terminal, shown after
   * the bar until cleared with undefined; elsewhere, written as a line.
   */
  waiting(text: string | undefined): void;
  /** Removes the bar. */
  done(): void;
}

const BAR_WIDTH = 24;
/** Redraw at most this often: a fast apply would otherwise spend its time writing to the terminal. */
const REDRAW_MS = 80;
/** Off a terminal, lines are written at most this late, or as soon as this many bytes wait. */
const LINES_MS = 200;
const LINES_BYTES = 16 * 1024;

export function createProgress(output: Output, options: { tty: boolean; now?: () => number }): Progress {
  const now = options.now ?? (() => Date.now());
  if (!options.tty) {
    // Lines are gathered and written together (at most LINES_MS late, or LINES_BYTES at once):
    // stderr on a pipe is written synchronously, so a write per action costs CPU an apply needs.
    // The order of lines never changes.
    let pending = "";
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (pending === "") return;
      const text = pending;
      pending = "";
      output.err(text);
    };
    const add = (text: string) => {
      pending += `${text}\n`;
      if (pending.length >= LINES_BYTES) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, LINES_MS);
        timer.unref?.();
      }
    };
    return {
      update() {},
      line: add,
      quietLine: add,
      waiting: (text) => {
        if (text !== undefined) add(text);
      },
      done: flush,
    };
  }
  let shown = false;
  let last = 0;
  let current = "";
  let note: string | undefined;
  const clear = () => {
    if (shown) output.err(ERASE_LINE);
    shown = false;
  };
  const draw = () => {
    const text = note === undefined ? current : current === "" ? note : `${current} · ${note}`;
    if (text === "") return clear();
    output.err(`${ERASE_LINE}${text}`);
    shown = true;
  };
  return {
    update(label, done, total) {
      current =
        total === undefined || total === 0
          ? `${label}: ${done}`
          : `${bar(done, total)} ${done}/${total} ${label}`;
      const t = now();
      if (t - last >= REDRAW_MS || (total !== undefined && done >= total)) {
        last = t;
        draw();
      }
    },
    line(text) {
      clear();
      output.err(`${text}\n`);
      draw();
    },
    quietLine() {},
    waiting(text) {
      if (text === note) return;
      note = text;
      draw();
    },
    done() {
      clear();
      current = "";
      note = undefined;
    },
  };
}

function bar(done: number, total: number): string {
  const filled = Math.max(0, Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH)));
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
}
