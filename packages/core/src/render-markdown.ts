import { plural, summaryLine } from "./describe.js";
import { planLines, safetyLines, type SafetyOverrides, type Show } from "./render-text.js";
import { escapeMarkdown } from "./sanitize.js";
import { PLAIN_STYLE, withoutColors, type TextStyle } from "./text-style.js";
import type { Plan } from "./types.js";

/** Options of {@link renderMarkdown}. */
export interface RenderMarkdownOptions {
  /** Mask identities that are not in the file (DESIGN.md §4). Default true: comments are public. */
  readonly redact?: boolean;
  /** Longest comment in characters. Default 65,535 (GitHub's limit for a comment body). */
  readonly maxLength?: number;
  /** The config file's name, for notes that name it. Default `groups.yaml`. */
  readonly file?: string;
  /** Column widths in the `diff` block (its colours are never used). Default {@link PLAIN_STYLE}. */
  readonly style?: TextStyle;
  /** How the user lifts each safety guard (the CLI: its flags). */
  readonly overrides?: SafetyOverrides;
}

/** GitHub refuses comment bodies longer than this. */
export const MARKDOWN_MAX_LENGTH = 65_535;

/**
 * Renders a plan as a pull-request comment: the summary line first, safety notes, then the
 * details (the text plan as a `diff` block) inside `<details>`. The result never exceeds
 * `maxLength` characters: details that do not fit are cut at a line, with a note saying so.
 */
export function renderMarkdown(plan: Plan, options: RenderMarkdownOptions = {}): string {
  const redact = options.redact ?? true;
  const maxLength = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  const head = markdownHead(plan, options.overrides);
  const body = markdownBody(plan, redact, options.file, options.style, options.overrides);
  if (body === undefined) return head.join("\n") + "\n";
  const fence = fenceFor(body);
  const open = [
    "",
    `<details><summary>Details: ${plural(plan.actions.length, "action")}${keptNote(plan)}</summary>`,
    "",
    `${fence}diff`,
  ];
  const close = [fence, "", "</details>"];
  const fixed = [...head, ...open, ...close].join("\n").length + 1;
  const kept: string[] = [];
  let used = fixed;
  // Room for the truncation note, whatever the number in it.
  const budget = maxLength - 200;
  for (const [i, line] of body.entries()) {
    if (used + line.length + 1 > budget) {
      const left = body.length - i;
      kept.push(
        `... ${plural(left, "more line")} not shown: the comment would exceed ${maxLength} characters.`,
      );
      kept.push("... Run `groupsync plan` locally, or see the JSON plan, for the full plan.");
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return [...head, ...open, ...kept, ...close].join("\n") + "\n";
}

/**
 * Outside the `diff` block (where nothing is markup), strings from outside are escaped markdown.
 */
const SHOW_MARKDOWN: Show = {
  quoted: (text) => `"${escapeMarkdown(text)}"`,
  bare: escapeMarkdown,
};

/** The summary line (or the failure), safety notes, and the warnings' count. */
export function markdownHead(plan: Plan, overrides: SafetyOverrides = {}): string[] {
  const head: string[] = [];
  if (plan.errors.length > 0) {
    head.push(`**Plan failed: ${plural(plan.errors.length, "error")}; nothing can be applied.**`);
  } else {
    head.push(`**${summaryLine(plan, overrides.noRemovals)}**`);
  }
  const safety = safetyLines(plan, SHOW_MARKDOWN, overrides);
  if (safety.length > 0) {
    head.push("", "> [!WARNING]", ...safety.map((s) => `> ${s}  `));
  }
  if (plan.warnings.length > 0) head.push("", `${plural(plan.warnings.length, "warning")}, see the details.`);
  return head;
}

/** The lines of the `diff` block, or undefined when there is nothing to detail. */
export function markdownBody(
  plan: Plan,
  redact: boolean,
  file?: string,
  style: TextStyle = PLAIN_STYLE,
  overrides: SafetyOverrides = {},
): string[] | undefined {
  const kept = plan.kept?.actions.length ?? 0;
  if (plan.actions.length === 0 && kept === 0 && plan.warnings.length === 0 && plan.errors.length === 0) {
    return undefined;
  }
  return planLines(plan, redact, withoutColors(style), file, overrides).map(signFirst);
}

/** A code fence longer than any run of backticks in the lines. */
export function fenceFor(lines: readonly string[]): string {
  return "`".repeat(Math.max(3, longestBacktickRun(lines) + 1));
}

/** GitHub colors a `diff` block by the first column: move the sign there, keep the indent. */
function signFirst(line: string): string {
  return line.replace(/^(\s+)([+\-~!]) /, (_m, space: string, sign: string) => `${sign}${space} `);
}

function longestBacktickRun(lines: readonly string[]): number {
  let longest = 0;
  for (const line of lines)
    for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** `, 3 kept` after the count of actions when the plan holds removals back (`--no-removals`). */
export function keptNote(plan: Plan): string {
  const kept = plan.kept?.actions.length ?? 0;
  return kept > 0 ? `, ${kept} kept` : "";
}
