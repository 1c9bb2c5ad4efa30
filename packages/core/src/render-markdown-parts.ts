import { plural } from "./describe.js";
import { fenceFor, keptNote, MARKDOWN_MAX_LENGTH, markdownBody, markdownHead } from "./render-markdown.js";
import type { TextStyle } from "./text-style.js";
import type { SafetyOverrides } from "./render-text.js";
import type { Plan } from "./types.js";

/** Options of {@link renderMarkdownParts}. */
export interface RenderMarkdownPartsOptions {
  /** Mask identities that are not in the file (DESIGN.md §4). Default true: comments are public. */
  readonly redact?: boolean;
  /** Longest part in characters. Default 65,535 (GitHub's limit for a comment body); at least 2,000. */
  readonly maxLength?: number;
  /** The config file's name, for notes that name it. Default `groups.yaml`. */
  readonly file?: string;
  /** Column widths in the `diff` blocks (their colours are never used). Default: one per code unit. */
  readonly style?: TextStyle;
  /** How the user lifts each safety guard (the CLI: its flags). */
  readonly overrides?: SafetyOverrides;
}

/**
 * Renders a plan as one or more pull-request comments, none longer than `maxLength`, splitting
 * where `renderMarkdown` would truncate (DESIGN.md §5, `--out-dir`). A plan that fits is one part,
 * the same text as `renderMarkdown`. Otherwise the first part holds the summary line, and the
 * details are split at the blank lines between groups; a group too long for one part is split
 * between its lines, each continuation starting with `# group.KEY (continued)`. Every line of the
 * details is in exactly one part.
 */
export function renderMarkdownParts(plan: Plan, options: RenderMarkdownPartsOptions = {}): string[] {
  const maxLength = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  if (maxLength < 2000) throw new RangeError(`maxLength must be at least 2000, not ${maxLength}`);
  const body = markdownBody(plan, options.redact ?? true, options.file, options.style, options.overrides);
  const fullHead = markdownHead(plan, options.overrides);
  if (body === undefined) return [fullHead.join("\n") + "\n"];
  const fence = fenceFor(body);
  const actions = `${plural(plan.actions.length, "action")}${keptNote(plan)}`;
  const single = wrap(fullHead, `Details: ${actions}`, fence, body);
  if (single.length <= maxLength) return [single];

  // Safety notes are repeated in the details: a head too long for a quarter of a part keeps its start.
  const head = capHead(fullHead, Math.floor(maxLength / 4));
  // The wrapper's length with part numbers as wide as they can be (never more parts than lines).
  const most = "9".repeat(String(body.length).length);
  const room = (first: boolean): number =>
    maxLength -
    (first
      ? wrap(head, firstSummary(actions, most, most), fence, []).length
      : wrap(nextHead(most, most), nextSummary(most, most), fence, []).length);

  const parts: string[][] = [];
  let current: string[] = [];
  let used = 0;
  const left = (): number => room(parts.length === 0) - used;
  const add = (line: string): void => {
    current.push(line);
    used += line.length + 1;
  };
  const flush = (): void => {
    while (current.at(-1) === "") current.pop();
    parts.push(current);
    current = [];
    used = 0;
  };
  for (const chunk of chunks(body)) {
    const separator = current.length > 0 ? 1 : 0;
    const size = linesLength(chunk);
    if (separator + size <= left()) {
      if (separator > 0) add("");
      for (const line of chunk) add(line);
      continue;
    }
    if (current.length > 0 && size <= room(false)) {
      flush();
      for (const line of chunk) add(line);
      continue;
    }
    // Longer than a whole part: fill this one, continue in the next ones under a header.
    const header = continued(chunk[0] ?? "");
    if (separator > 0 && left() > 1 + header.length + 1) add("");
    else if (separator > 0) flush();
    const widest = Math.min(room(true), room(false)) - header.length - 1;
    for (const [i, raw] of chunk.entries()) {
      const line = fit(raw, widest);
      if (line.length + 1 > left()) {
        flush();
        if (i > 0) add(header);
      }
      add(line);
    }
  }
  if (current.length > 0) flush();
  const total = String(parts.length);
  return parts.map((lines, i) => {
    const n = String(i + 1);
    return i === 0
      ? wrap(head, firstSummary(actions, n, total), fence, lines)
      : wrap(nextHead(n, total), nextSummary(n, total), fence, lines);
  });
}

function wrap(head: readonly string[], summary: string, fence: string, lines: readonly string[]): string {
  return (
    [
      ...head,
      "",
      `<details><summary>${summary}</summary>`,
      "",
      `${fence}diff`,
      ...lines,
      fence,
      "",
      "</details>",
    ].join("\n") + "\n"
  );
}

function firstSummary(actions: string, n: string, total: string): string {
  return `Details: ${actions} (part ${n} of ${total})`;
}

function nextHead(n: string, total: string): string[] {
  return [`**groupsync plan, part ${n} of ${total}** (continued)`];
}

function nextSummary(n: string, total: string): string {
  return `Details, part ${n} of ${total}`;
}

/** The details' blocks: runs of lines between blank lines. */
function chunks(lines: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line !== "") current.push(line);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

function linesLength(lines: readonly string[]): number {
  let n = 0;
  for (const line of lines) n += line.length + 1;
  return n;
}

/** The line that opens the continuation of a block: its group's address, or its title. */
function continued(first: string): string {
  const address = /^\s*# (\S+)/.exec(first);
  if (address !== null) return `  # ${address[1] ?? ""} (continued)`;
  return first.endsWith(":") ? `${first.slice(0, -1)} (continued):` : `${first} (continued)`;
}

/** A single line longer than a part (never seen in practice: names are short) is cut to fit. */
function fit(line: string, max: number): string {
  return line.length + 1 <= max ? line : `${line.slice(0, max - 3)}…`;
}

function capHead(head: readonly string[], max: number): string[] {
  if (linesLength(head) <= max) return [...head];
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of head.entries()) {
    if (used + line.length + 1 > max - 80) {
      const rest = head.slice(i).filter((l) => l.startsWith("> ") && l !== "> [!WARNING]").length;
      kept.push(`> ... ${plural(rest, "more note")}: see the details.`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}
