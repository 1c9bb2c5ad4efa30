import type { DesiredState } from "@groupsync/core";

/**
 * Stable codes of config problems (public API: the CLI and tests switch on them).
 * Warnings use the same shape; only `bom` is a warning today.
 */
export type ConfigProblemCode =
  // reading the bytes
  | "file_too_large"
  | "invalid_utf8"
  | "utf16"
  | "binary_content"
  | "too_deep"
  | "bom"
  // YAML syntax
  | "empty_file"
  | "yaml_syntax"
  | "duplicate_key"
  | "multiple_documents"
  | "alias_limit"
  // schema
  | "unknown_version"
  | "unknown_key"
  | "missing_key"
  | "wrong_type"
  | "invalid_value"
  | "invalid_group_key"
  | "invalid_rule"
  // values and cross-checks
  | "invalid_email"
  | "invalid_phone"
  | "invalid_email_domain"
  | "invalid_country"
  | "duplicate_group_name"
  | "duplicate_rule"
  // members files (CSV)
  | "invalid_members_file"
  | "members_file_unreadable"
  | "csv_syntax"
  | "csv_no_rule_column"
  | "csv_duplicate_column"
  | "csv_field_count"
  // groupsync fmt
  | "format_failed";

/** One problem found in groups.yaml, with the 1-based position of the offending key or value. */
export interface ConfigProblem {
  readonly code: ConfigProblemCode;
  /** A sentence a non-programmer can act on, starting with the path when there is one. */
  readonly message: string;
  /** The file name given to the parser (default `groups.yaml`). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units (what editors show for text without astral characters). */
  readonly col: number;
  /** Where in the document, e.g. `groups.vip.members[3].phone`. */
  readonly path?: string;
  /** Length of the offending text on its line (for the `^~~~` underline); at least 1 when present. */
  readonly length?: number;
}

/** What `parseConfig` returns: the normalized desired state, or every problem found. */
export type ConfigResult = (
  | { readonly ok: true; readonly desired: DesiredState; readonly warnings: ConfigProblem[] }
  | { readonly ok: false; readonly problems: ConfigProblem[]; readonly warnings: ConfigProblem[] }
) & {
  /** The text of each members file read, by the name its problems carry (`formatProblems`' `sources`). */
  readonly sources?: ReadonlyMap<string, string>;
};

/**
 * Orders problems by file (in the order files first appear: groups.yaml, then its members files),
 * then by position, then by code, so output is stable.
 */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const files = new Map<string, number>();
  for (const p of problems) if (!files.has(p.file)) files.set(p.file, files.size);
  const rank = (p: ConfigProblem): number => files.get(p.file) ?? 0;
  return problems.sort(
    (a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code),
  );
}
