import {
  renderJson,
  renderMarkdown,
  renderText,
  type Plan,
  type SafetyOverrides,
  type TextStyle,
} from "@groupsync/core";
import { stringOption, booleanOption, type CommandContext } from "./command.js";
import { UsageError } from "./errors.js";

export type PlanFormat = "text" | "markdown" | "json";

export function formatOption(context: CommandContext, command: string): PlanFormat {
  const raw = stringOption(context, "format") ?? "text";
  if (raw === "text" || raw === "markdown" || raw === "json") return raw;
  throw new UsageError(`--format must be text, markdown or json, not "${raw}".`, command);
}

/**
 * Whether to mask identities that groups.yaml does not hold (members being removed): DESIGN.md
 * §4 masks them by default in markdown and json, which end up in PR comments and artifacts.
 */
export function redactOption(context: CommandContext, format: PlanFormat): boolean {
  return booleanOption(context, "redact") ?? format !== "text";
}

/** The flags that lift core's safety guards, named in the plan's safety notes. */
export const SAFETY_OVERRIDES: SafetyOverrides = {
  massRemoval: "--allow-mass-removal",
  delete: "--allow-delete",
  noRemovals: "--no-removals",
};

export function renderPlan(
  plan: Plan,
  options: { format: PlanFormat; style: TextStyle; redact: boolean; file: string },
): string {
  const text =
    options.format === "json"
      ? renderJson(plan, { redact: options.redact })
      : options.format === "markdown"
        ? renderMarkdown(plan, {
            redact: options.redact,
            file: options.file,
            style: options.style,
            overrides: SAFETY_OVERRIDES,
          })
        : renderText(plan, {
            style: options.style,
            redact: options.redact,
            file: options.file,
            overrides: SAFETY_OVERRIDES,
          });
  return text.endsWith("\n") ? text : `${text}\n`;
}
