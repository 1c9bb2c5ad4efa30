import { maskEmail, maskPhone } from "./mask.js";
import { escapeQuotedUnsafe } from "./sanitize.js";
import type { Action, Identity, Plan } from "./types.js";

/** Options of {@link renderJson}. */
export interface RenderJsonOptions {
  /** Mask identities that are not in the file, and drop names (DESIGN.md §4). Default true. */
  readonly redact?: boolean;
}

/**
 * Renders a plan as its versioned JSON document (`formatVersion: 2`, schema in the package
 * README): two-space indentation, a fixed key order, a final newline. Byte-identical for the same
 * plan. `redacted` records whether identities were masked. Read it back with `parsePlanJson`.
 */
export function renderJson(plan: Plan, options: RenderJsonOptions = {}): string {
  const redact = options.redact ?? true;
  const document = {
    formatVersion: plan.formatVersion,
    redacted: redact,
    summary: plan.summary,
    actions: plan.actions.map((a) => redactAction(a, redact)),
    groups: plan.groups,
    rules: plan.rules,
    warnings: plan.warnings,
    errors: plan.errors,
    safety: plan.safety,
    ...(plan.preconditions === undefined ? {} : { preconditions: plan.preconditions }),
    ...(plan.kept === undefined
      ? {}
      : {
          kept: {
            reason: plan.kept.reason,
            actions: plan.kept.actions.map((a) => redactAction(a, redact)),
          },
        }),
  };
  // Valid JSON of the same data, with no raw bidi or C1 character for a terminal to act on.
  return escapeQuotedUnsafe(JSON.stringify(document, null, 2)) + "\n";
}

function redactAction<A extends Action>(action: A, redact: boolean): A {
  if (!redact || (action.type !== "add_member" && action.type !== "remove_member")) return action;
  return { ...action, identity: redactIdentity(action.identity) };
}

/** Masks what the file does not hold; names come from Square, never from the file: dropped. */
export function redactIdentity(identity: Identity): Identity {
  const keep = identity.inFile;
  return {
    ...(identity.email === undefined ? {} : { email: keep ? identity.email : maskEmail(identity.email) }),
    ...(identity.phone === undefined ? {} : { phone: keep ? identity.phone : maskPhone(identity.phone) }),
    inFile: identity.inFile,
  };
}
