import type { DesiredState } from "@groupsync/core";

/**
 * Stable codes of config problems (public API: the CLI and tests switch on them).
 * Warnings use the same shape; only `GS_CONFIG_BOM` is a warning today.
 */
export type ConfigProblemCode =
  // reading the bytes
  | "GS_CONFIG_FILE_TOO_LARGE"
  | "GS_CONFIG_INVALID_UTF8"
  | "GS_CONFIG_UTF16"
  | "GS_CONFIG_BINARY_CONTENT"
  | "GS_CONFIG_TOO_DEEP"
  | "GS_CONFIG_BOM"
  // YAML syntax
  | "GS_CONFIG_EMPTY_FILE"
  | "GS_CONFIG_YAML_SYNTAX"
  | "GS_CONFIG_DUPLICATE_KEY"
  | "GS_CONFIG_MULTIPLE_DOCUMENTS"
  | "GS_CONFIG_ALIAS_LIMIT"
  // schema
  | "GS_CONFIG_UNKNOWN_VERSION"
  | "GS_CONFIG_UNKNOWN_KEY"
  | "GS_CONFIG_MISSING_KEY"
  | "GS_CONFIG_WRONG_TYPE"
  | "GS_CONFIG_INVALID_VALUE"
  | "GS_CONFIG_INVALID_GROUP_KEY"
  | "GS_CONFIG_INVALID_RULE"
  // values and cross-checks
  | "GS_CONFIG_INVALID_EMAIL"
  | "GS_CONFIG_INVALID_PHONE"
  | "GS_CONFIG_INVALID_EMAIL_DOMAIN"
  | "GS_CONFIG_INVALID_COUNTRY"
  | "GS_CONFIG_DUPLICATE_GROUP_NAME"
  | "GS_CONFIG_DUPLICATE_RULE"
  // members files (CSV)
  | "GS_CONFIG_INVALID_MEMBERS_FILE"
  | "GS_CONFIG_MEMBERS_FILE_UNREADABLE"
  | "GS_CONFIG_CSV_SYNTAX"
  | "GS_CONFIG_CSV_NO_RULE_COLUMN"
  | "GS_CONFIG_CSV_DUPLICATE_COLUMN"
  | "GS_CONFIG_CSV_FIELD_COUNT"
  // groupsync fmt
  | "GS_CONFIG_FORMAT_FAILED";

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
