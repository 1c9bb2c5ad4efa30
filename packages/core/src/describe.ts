import { maskEmail, maskPhone } from "./mask.js";
import type { Identity, Plan } from "./types.js";

/**
 * How a member is shown. Identities that are not in the file are personal data: with `redact`
 * their email and phone are masked and their name is left out (DESIGN.md §4).
 */
export function describeIdentity(
  identity: Identity,
  customerId: string | undefined,
  redact: boolean,
): string {
  const hide = redact && !identity.inFile;
  const contact =
    identity.email !== undefined
      ? hide
        ? maskEmail(identity.email)
        : identity.email
      : identity.phone !== undefined
        ? hide
          ? maskPhone(identity.phone)
          : identity.phone
        : undefined;
  const name = redact || identity.name === undefined ? undefined : identity.name;
  let text = name !== undefined && contact !== undefined ? `${name} <${contact}>` : (name ?? contact ?? "");
  if (customerId !== undefined && !identity.inFile)
    text = text === "" ? customerId : `${text} [${customerId}]`;
  return text;
}

/**
 * `Plan: 1 to create, 1 to rename, 3 to add, 2 to remove.` or `No changes.`, then what the plan
 * keeps: `Kept: 2 removals, 1 deletion.`, or `Kept by --no-removals: ...` when the caller names
 * its switch (`keptBy`; core names no CLI flag).
 */
export function summaryLine(plan: Plan, keptBy?: string): string {
  const kept = keptSentence(plan, keptBy);
  return kept === "" ? changesLine(plan) : `${changesLine(plan)} ${kept}`;
}

function keptSentence(plan: Plan, keptBy: string | undefined): string {
  const actions = plan.kept?.actions ?? [];
  if (actions.length === 0) return "";
  const removals = actions.filter((a) => a.type === "remove_member").length;
  const deletions = actions.length - removals;
  const parts = [
    ...(removals > 0 ? [plural(removals, "removal")] : []),
    ...(deletions > 0 ? [plural(deletions, "deletion")] : []),
  ];
  return `${keptBy === undefined ? "Kept" : `Kept by ${keptBy}`}: ${parts.join(", ")}.`;
}

function changesLine(plan: Plan): string {
  const s = plan.summary;
  if (plan.actions.length === 0) return "No changes.";
  const parts = [
    `${s.create} to create`,
    `${s.rename} to rename`,
    `${s.add} to add`,
    `${s.remove} to remove`,
  ];
  if (s.delete > 0) parts.push(`${s.delete} to delete`);
  if (s.createCustomer > 0)
    parts.push(`${s.createCustomer} ${s.createCustomer === 1 ? "profile" : "profiles"} to create`);
  return `Plan: ${parts.join(", ")}.`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
