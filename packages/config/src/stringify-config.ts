import {
  escapeQuotedUnsafe,
  type MatchMode,
  type Membership,
  type MissingMode,
  type UnmanagedGroups,
} from "@groupsync/core";
import { Document } from "yaml";
import { YAML_OUTPUT_OPTIONS, canonicalize } from "./format-config.js";

/** One member rule as written in groups.yaml. */
export type MemberInput =
  | { readonly email: string }
  | { readonly phone: string }
  | { readonly email_domain: string }
  | { readonly customer_id: string };

/** One group to write; optional keys are left out when absent. */
export interface GroupInput {
  /** The handle (`[a-z0-9][a-z0-9_-]*`); see `suggestGroupKey`. */
  readonly key: string;
  readonly name: string;
  readonly previously?: readonly string[];
  /** Pin to the Square group ID. */
  readonly id?: string;
  readonly membership?: Membership;
  readonly match?: MatchMode;
  readonly missing?: MissingMode;
  /** A members file beside groups.yaml (`stringifyMembersCsv` writes one); `members` may then be empty. */
  readonly members_file?: string;
  readonly members: readonly MemberInput[];
}

/** What `stringifyConfig` writes (the shape of groups.yaml, keys as in the file). */
export interface StringifyConfigInput {
  readonly groups: readonly GroupInput[];
  readonly defaults?: {
    readonly country?: string;
    readonly membership?: Membership;
    readonly match?: MatchMode;
    readonly missing?: MissingMode;
  };
  readonly unmanaged_groups?: UnmanagedGroups;
}

/** Options of `stringifyConfig`. */
export interface StringifyConfigOptions {
  /**
   * Path or URL of groups.schema.json for the `# yaml-language-server: $schema=...` first line
   * (editors then validate and complete the file). Default: no such line.
   */
  readonly schema?: string;
  /** Comment written at the top (each line gets `# `). Default: none. */
  readonly header?: string;
}

/**
 * A canonical groups.yaml for `groupsync import`: the same layout `formatConfig` produces, groups
 * and members in the order given. The text parses back (parseConfig) to the same state as long
 * as the input itself is valid (keys, emails, phones); check it with parseConfig when unsure.
 */
export function stringifyConfig(input: StringifyConfigInput, options: StringifyConfigOptions = {}): string {
  const data: Record<string, unknown> = { version: 1 };
  const defaults = input.defaults ? compact(input.defaults) : {};
  if (Object.keys(defaults).length > 0) data["defaults"] = defaults;
  if (input.unmanaged_groups !== undefined) data["unmanaged_groups"] = input.unmanaged_groups;
  const groups: Record<string, unknown> = {};
  for (const group of input.groups) {
    groups[group.key] = compact({
      name: group.name,
      previously: group.previously && group.previously.length > 0 ? [...group.previously] : undefined,
      id: group.id,
      membership: group.membership,
      match: group.match,
      missing: group.missing,
      members_file: group.members_file,
      // A group listed in a members file has no `members: []` beside it.
      members:
        group.members_file !== undefined && group.members.length === 0
          ? undefined
          : group.members.map((member) => ({ ...member })),
    });
  }
  data["groups"] = groups;
  const doc = new Document(data);
  canonicalize(doc);
  const comment = [
    ...(options.schema !== undefined ? [` yaml-language-server: $schema=${options.schema}`] : []),
    ...(options.header !== undefined
      ? options.header.split("\n").map((line) => (line ? ` ${line}` : ""))
      : []),
  ];
  if (comment.length > 0) doc.commentBefore = comment.join("\n");
  return escapeQuotedUnsafe(doc.toString(YAML_OUTPUT_OPTIONS));
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
