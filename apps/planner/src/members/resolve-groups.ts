import { groupNameKey, type DesiredGroup } from "@groupsync/core";
import type { SquareCustomerGroup } from "@groupsync/square";
import { CliError } from "../errors.js";

/** A group named on the command line, found in the live account. */
export interface ResolvedGroup {
  readonly id: string;
  readonly name: string;
  /** As the user wrote it. */
  readonly input: string;
  /** How it was found. */
  readonly via: "key" | "id" | "name";
}

/** Names shown at most in the "groups it knows" hint. */
const MAX_LISTED = 30;

/** A group argument that names nothing: exit 1, and the hint lists the groups it knows. */
export class UnknownGroupError extends CliError {
  override readonly name = "UnknownGroupError";
  /** The arguments that named no group. */
  readonly unknown: readonly string[];
  constructor(unknown: readonly string[], hint: string, file = "groups.yaml") {
    const list = unknown.map((input) => `"${input}"`).join(", ");
    super(
      "GS_CLI_USAGE",
      `Unknown group${unknown.length === 1 ? "" : "s"} ${list}: not a key of ${file}, nor the name or ID of a group in Square.`,
      { hint },
    );
    this.unknown = unknown;
  }
}

/**
 * Finds each argument's live group (issue 7): a key of groups.yaml first (the file is the
 * source of truth: its pinned `id`, else its `name`, else a `previously` name, as plan
 * matches them, DESIGN.md §3), then a live group ID, then a live group name (NFC, trimmed,
 * case-insensitive). Every argument that names nothing is reported at once; a name two live
 * groups share is refused (ask for the ID).
 */
export function resolveGroups(
  inputs: readonly string[],
  live: readonly SquareCustomerGroup[],
  desired: readonly DesiredGroup[] = [],
  /** The config file's name, for messages. */
  file = "groups.yaml",
): ResolvedGroup[] {
  const byId = new Map(live.map((group) => [group.id, group]));
  const byName = new Map<string, SquareCustomerGroup[]>();
  for (const group of live) {
    const key = groupNameKey(group.name);
    byName.set(key, [...(byName.get(key) ?? []), group]);
  }
  const byKey = new Map(desired.map((group) => [group.key, group]));
  const unknown: string[] = [];
  const resolved: ResolvedGroup[] = [];
  for (const input of inputs) {
    const entry = byKey.get(input.trim());
    if (entry !== undefined) {
      resolved.push({ ...fromEntry(entry, input, byId, byName, file), input, via: "key" });
      continue;
    }
    const pinned = byId.get(input.trim());
    if (pinned !== undefined) {
      resolved.push({ id: pinned.id, name: pinned.name, input, via: "id" });
      continue;
    }
    const named = byName.get(groupNameKey(input)) ?? [];
    if (named.length > 1) throw ambiguous(input, named);
    const [group] = named;
    if (group === undefined) unknown.push(input);
    else resolved.push({ id: group.id, name: group.name, input, via: "name" });
  }
  if (unknown.length > 0) throw new UnknownGroupError(unknown, knownGroups(live, desired, file), file);
  return resolved;
}

function fromEntry(
  entry: DesiredGroup,
  input: string,
  byId: ReadonlyMap<string, SquareCustomerGroup>,
  byName: ReadonlyMap<string, readonly SquareCustomerGroup[]>,
  file: string,
): { id: string; name: string } {
  if (entry.id !== undefined) {
    const group = byId.get(entry.id);
    if (group === undefined) {
      throw new CliError(
        "GS_CLI_USAGE",
        `${file} pins "${input}" to the group ID ${entry.id}, which is not in Square.`,
        { hint: `Fix the id in ${file}, or remove it and let the name find the group.` },
      );
    }
    return group;
  }
  for (const name of [entry.name, ...entry.previously]) {
    const named = byName.get(groupNameKey(name)) ?? [];
    if (named.length > 1) throw ambiguous(name, named);
    if (named[0] !== undefined) return named[0];
  }
  throw new CliError(
    "GS_CLI_USAGE",
    `"${input}" is in ${file}, but Square has no group named "${entry.name}" yet.`,
    { hint: 'Run "groupsync plan" and "groupsync apply" to create it.' },
  );
}

function ambiguous(input: string, groups: readonly SquareCustomerGroup[]): CliError {
  return new CliError(
    "GS_CLI_USAGE",
    `${groups.length} groups in Square are named "${input}": ${groups.map((g) => g.id).join(", ")}.`,
    { hint: "Name the group by its ID instead." },
  );
}

/** `Keys in groups.yaml: a, b. Groups in Square: "VIP" (ID1), ...` */
function knownGroups(
  live: readonly SquareCustomerGroup[],
  desired: readonly DesiredGroup[],
  file: string,
): string {
  const parts: string[] = [];
  if (desired.length > 0) parts.push(`Keys in ${file}: ${capped(desired.map((g) => g.key))}.`);
  parts.push(
    live.length === 0
      ? "Square has no customer groups."
      : `Groups in Square: ${capped(live.map((g) => `"${g.name}" (${g.id})`))}.`,
  );
  return parts.join(" ");
}

function capped(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(", ");
  return items.length > MAX_LISTED ? `${shown} and ${items.length - MAX_LISTED} more` : shown;
}
