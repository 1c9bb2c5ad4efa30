import type { OptionDef } from "./command.js";

/** Options shared by several commands (kept apart from the code that reads them: `--help` loads only this). */
export const FORMAT_OPTION: OptionDef = {
  type: "string",
  valueName: "FORMAT",
  description: "text (default), markdown (a pull-request comment) or json (schema in the README).",
};

export const REDACT_OPTION: OptionDef = {
  type: "boolean",
  negatable: true,
  description: "Mask emails and phones not in groups.yaml (default: on for markdown and json, off for text).",
};

export const CONCURRENCY_OPTION: OptionDef = {
  type: "string",
  valueName: "N",
  description: "Most requests to Square in flight at once (default 32; adapts down on 429).",
};

export const TIMEOUT_OPTION: OptionDef = {
  type: "string",
  valueName: "DURATION",
  description:
    "How long to wait for each answer from Square before trying again (default 30s; e.g. 500ms, 10s, 2m).",
};

export const ALLOW_OPTIONS: Readonly<Record<string, OptionDef>> = {
  "allow-mass-removal": {
    type: "boolean",
    description:
      "Accept removing more than 25% and more than 10 of a group's members (or more than its max_removals).",
  },
  "allow-delete": { type: "boolean", description: "Accept deleting groups (unmanaged_groups: delete)." },
};

/** `--no-removals`: read as `removals: false` (node:util parseArgs' negation). */
export const NO_REMOVALS_OPTION: OptionDef = {
  type: "boolean",
  negativeOnly: true,
  description: "Add and create only: no member removed, no group deleted; the plan lists what it keeps.",
};
