import { isMap, isPair, isScalar, isSeq, visit, type Document, type Pair, type ToStringOptions } from "yaml";
import { escapeQuotedUnsafe, hasUnsafeChars } from "@groupsync/core";
import { checkText } from "./check-text.js";
import { parseYaml } from "./parse-yaml.js";
import type { ConfigProblem } from "./problems.js";
import { keyText } from "./yaml-nodes.js";

/** Options of `formatConfig`. */
export interface FormatConfigOptions {
  /** File name used in problems (default `groups.yaml`). */
  readonly file?: string;
}

/** The canonical text, or the problems that stop formatting (the file is not YAML, or too large). */
export type FormatConfigResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problems: ConfigProblem[] };

/** Canonical key order at the top level, in `defaults` and in a group; other keys follow as written. */
export const TOP_LEVEL_ORDER = ["version", "defaults", "unmanaged_groups", "groups"] as const;
export const DEFAULTS_ORDER = ["country", "membership", "match", "missing", "max_removals"] as const;
export const GROUP_ORDER = [
  "name",
  "previously",
  "id",
  "membership",
  "match",
  "missing",
  "max_removals",
  "members_file",
  "members",
] as const;

/** How groups.yaml is written: 2-space indent, indented sequences, no line folding, `[a, b]`. */
export const YAML_OUTPUT_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  flowCollectionPadding: false,
  defaultKeyType: "PLAIN",
  defaultStringType: "PLAIN",
};

/**
 * `groupsync fmt`: the same document in canonical form, comments kept. Keys in canonical order
 * (groups and members stay in the order written), strings plain unless they need quotes (then
 * double quotes), phone numbers always double-quoted text, `previously` as a flow list, everything
 * else in block style, no BOM. Only YAML syntax must be valid: schema problems are `validate`'s
 * job, and a file with them is still formatted. Idempotent: formatting twice changes nothing.
 */
export function formatConfig(raw: string, options: FormatConfigOptions = {}): FormatConfigResult {
  const file = options.file ?? "groups.yaml";
  const checked = checkText(raw, file);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const parsed = parseYaml(checked.text, file);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  let text = render(parsed.doc);
  // yaml's printer reaches a fixed point in one pass for every groups.yaml-shaped file; exotic
  // YAML (complex keys, stray `?`) can need a second. Iterate so fmt is always idempotent.
  for (let pass = 0; pass < 3; pass++) {
    const again = parseYaml(text, file);
    const next = again.ok ? render(again.doc) : undefined;
    if (next === text) return { ok: true, text };
    if (next === undefined) break;
    text = next;
  }
  return {
    ok: false,
    problems: [
      {
        code: "GS_CONFIG_FORMAT_FAILED",
        message:
          "groupsync fmt cannot put this YAML into canonical form (it uses YAML constructs groupsync's file does not need)",
        file,
        line: 1,
        col: 1,
      },
    ],
  };
}

function render(doc: Document): string {
  canonicalize(doc);
  return escapeQuotedUnsafe(doc.toString(YAML_OUTPUT_OPTIONS));
}

/** Words YAML 1.1 tools read as booleans or null: quoted, so that every tool reads text. */
const YAML_11_WORDS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

/** Rewrites a parsed groups.yaml document in place into canonical form. */
export function canonicalize(doc: Document): void {
  visit(doc, {
    // A string holding a control or bidi character (a newline, ESC, U+202E) is double-quoted and,
    // by `escapeQuotedUnsafe` after printing, fully escaped (`"\e[31m"`, `"\u202e"`): never raw
    // in a block or plain scalar, so the file shows what it holds in an editor, a terminal or a
    // pull request's diff. (A comment holding one shows it escaped too.)
    Scalar(_, node) {
      if (typeof node.value !== "string") return;
      node.type = hasUnsafeChars(node.value) || YAML_11_WORDS.test(node.value) ? "QUOTE_DOUBLE" : "PLAIN";
    },
    // Block style, except empty collections: `members: []`, `groups: {}`.
    Map(_, node) {
      node.flow = node.items.length === 0;
    },
    Seq(_, node) {
      node.flow = node.items.length === 0;
    },
  });
  const root = doc.contents;
  if (!isMap(root)) return;
  sortPairs(root.items, TOP_LEVEL_ORDER);
  const defaults = valueOf(root.items, "defaults");
  if (isMap(defaults)) sortPairs(defaults.items, DEFAULTS_ORDER);
  const groups = valueOf(root.items, "groups");
  if (!isMap(groups)) return;
  for (const pair of groups.items) {
    const group = isPair(pair) ? pair.value : undefined;
    if (!isMap(group)) continue;
    sortPairs(group.items, GROUP_ORDER);
    const previously = valueOf(group.items, "previously");
    if (
      isSeq(previously) &&
      previously.items.every((item) => isScalar(item) && !item.comment && !item.commentBefore)
    ) {
      previously.flow = true;
    }
    const members = valueOf(group.items, "members");
    if (!isSeq(members)) continue;
    for (const rule of members.items) {
      if (!isMap(rule)) continue;
      const phone = valueOf(rule.items, "phone");
      if (isScalar(phone) && (typeof phone.value === "string" || typeof phone.value === "number")) {
        // Unquoted numbers lose a + or a leading 0 in YAML: keep the text exactly as written.
        if (typeof phone.value === "number") phone.value = phone.source ?? String(phone.value);
        phone.type = "QUOTE_DOUBLE";
      }
    }
  }
}

function valueOf(pairs: readonly unknown[], key: string): unknown {
  for (const pair of pairs) if (isPair(pair) && keyText(pair) === key) return pair.value;
  return undefined;
}

/** Stable sort: known keys in `order`, then the others as written. */
function sortPairs(pairs: unknown[], order: readonly string[]): void {
  const rank = (pair: unknown): number => {
    const index = isPair(pair) ? order.indexOf(keyText(pair as Pair) ?? "") : -1;
    return index === -1 ? order.length : index;
  };
  pairs.sort((a, b) => rank(a) - rank(b));
}
