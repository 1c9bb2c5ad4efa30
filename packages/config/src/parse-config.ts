import { groupNameKey } from "@groupsync/core";
import type {
  DesiredGroup,
  DesiredState,
  MatchMode,
  Membership,
  MissingMode,
  Rule,
  RuleKind,
} from "@groupsync/core";
import { LineCounter, isAlias, isScalar, parseDocument, visit, type Document, type YAMLError } from "yaml";
import { checkText } from "./check-text.js";
import { describeSchemaError } from "./describe-schema-error.js";
import { displayPath, quote } from "./display-path.js";
import { MAX_ALIAS_COUNT } from "./limits.js";
import { isKnownCountry, normalizeEmail, normalizeEmailDomain, normalizePhone } from "./normalize.js";
import { LineIndex } from "./positions.js";
import { sortProblems, type ConfigProblem, type ConfigProblemCode, type ConfigResult } from "./problems.js";
import { validateSchema } from "./schema.js";
import { entries, items, locate, resolve, span, type RangedNode } from "./yaml-nodes.js";

/** Options of `parseConfig`. */
export interface ParseConfigOptions {
  /** File name used in problems (default `groups.yaml`). */
  readonly file?: string;
}

/** The options groups.yaml is parsed with: positions kept, duplicate keys rejected, no merge keys. */
export const YAML_PARSE_OPTIONS = {
  uniqueKeys: true,
  prettyErrors: false,
  merge: false,
  version: "1.2",
} as const;

const DEFAULT_COUNTRY = "US";
const MEMBERSHIPS: readonly string[] = ["authoritative", "additive"];
const MATCHES: readonly string[] = ["one", "all"];
const MISSINGS: readonly string[] = ["skip", "error", "create"];
const RULE_KINDS: readonly string[] = ["email", "phone", "email_domain", "customer_id"];

/**
 * Parses, validates and normalizes the text of a groups.yaml. Never throws for bad input: every
 * problem found is returned with its file, line and column (DESIGN.md §2).
 */
export function parseConfig(raw: string, options: ParseConfigOptions = {}): ConfigResult {
  const file = options.file ?? "groups.yaml";
  const checked = checkText(raw, file);
  if (!checked.ok) return checked;
  const { text, warnings } = checked;
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, warnings };
  const { doc, data, at } = parsed;

  // A file of another version may have another shape: say only that, not a page of schema errors.
  const version = isRecord(data) ? data["version"] : undefined;
  if (isRecord(data) && "version" in data && version !== 1) {
    const node = locate(doc, ["version"]).node;
    const shown = typeof version === "string" ? quote(version) : String(version ?? "(empty)");
    return {
      ok: false,
      warnings,
      problems: [
        at(
          "unknown_version",
          `version ${shown} is not supported; this groupsync reads version 1 only (supported versions: 1)`,
          node,
          "version",
        ),
      ],
    };
  }

  const problems: ConfigProblem[] = [];
  for (const error of validateSchema(data)) {
    const issue = describeSchemaError(error, data);
    if (!issue) continue;
    const found = locate(doc, issue.segments);
    const complete = found.depth === issue.segments.length;
    const node = issue.at === "key" && complete && found.pair ? found.pair.key : found.node;
    problems.push(at(issue.code, issue.message, node, displayPath(issue.segments, data) || undefined));
  }
  const desired = readDesiredState(doc, data, at, problems);
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems), warnings };
  return { ok: true, desired, warnings };
}

type At = (
  code: ConfigProblemCode,
  message: string,
  node: RangedNode | null | undefined,
  path?: string,
) => ConfigProblem;

type Parsed = { ok: true; doc: Document; data: unknown; at: At } | { ok: false; problems: ConfigProblem[] };

/** YAML -> document (with positions) and plain data, or syntax/alias problems. */
export function parseYaml(text: string, file: string): Parsed {
  const lines = new LineIndex(text);
  const at: At = (code, message, node, path) => {
    const { offset, length } = span(node, text);
    return { code, message, file, ...lines.at(offset), length, ...(path ? { path } : {}) };
  };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_PARSE_OPTIONS, lineCounter });
  // yaml's warnings (an unknown tag such as `!secret`) are errors here: the file means nothing else.
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length > 0) {
    const duplicates = duplicateKeyMessages(doc, lines);
    return { ok: false, problems: sortProblems(errors.map((e) => yamlProblem(e, file, lines, duplicates))) };
  }
  if (doc.contents === null) {
    return {
      ok: false,
      problems: [
        {
          code: "empty_file",
          message: "the file is empty; it needs 'version: 1' and a 'groups:' mapping",
          file,
          line: 1,
          col: 1,
        },
      ],
    };
  }
  const undefinedAliases: ConfigProblem[] = [];
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined) {
        const message = `alias '*${node.source}' refers to no anchor: define '&${node.source}' before using it`;
        undefinedAliases.push(at("yaml_syntax", message, node as RangedNode));
      }
    },
  });
  if (undefinedAliases.length > 0) return { ok: false, problems: undefinedAliases };
  try {
    return { ok: true, doc, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), at };
  } catch {
    let first: RangedNode | undefined;
    visit(doc, {
      Alias(_, node) {
        first = node as RangedNode;
        return visit.BREAK;
      },
    });
    return {
      ok: false,
      problems: [
        at(
          "alias_limit",
          `the file expands aliases (*name) too many times (limit ${MAX_ALIAS_COUNT}), like an alias bomb; write the values out instead`,
          first,
        ),
      ],
    };
  }
}

function yamlProblem(
  error: YAMLError,
  file: string,
  lines: LineIndex,
  duplicates: Map<number, string>,
): ConfigProblem {
  const [start, end] = error.pos;
  const pos = { file, ...lines.at(start), length: Math.max(1, end - start) };
  switch (error.code) {
    case "DUPLICATE_KEY":
      return {
        code: "duplicate_key",
        message: duplicates.get(start) ?? "this key appears twice in its mapping",
        ...pos,
      };
    case "MULTIPLE_DOCS":
      return {
        code: "multiple_documents",
        message: "the file holds more than one YAML document ('---'); groups.yaml must be a single document",
        ...pos,
      };
    case "TAG_RESOLVE_FAILED":
      return {
        code: "yaml_syntax",
        message: `YAML tags such as '${error.message.replace(/^.*: /, "")}' are not used in groups.yaml; remove it`,
        ...pos,
      };
    case "TAB_AS_INDENT":
      return {
        code: "yaml_syntax",
        message: "YAML syntax error: tabs cannot indent YAML; use spaces",
        ...pos,
      };
    default:
      return { code: "yaml_syntax", message: `YAML syntax error: ${sentence(error.message)}`, ...pos };
  }
}

function sentence(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** For every repeated key: offset -> "groups.vip: key 'name' appears twice (first on line 4)". */
function duplicateKeyMessages(doc: Document, lines: LineIndex): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (node: unknown, path: string): void => {
    if (isAlias(node)) return;
    const seen = new Map<string, number>();
    for (const [key, pair] of entries(doc, node)) {
      const offset = (pair.key as RangedNode | null)?.range?.[0] ?? 0;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, offset);
      else {
        const where = path === "" ? "the top level" : path;
        out.set(offset, `${where}: key '${key}' appears twice (first on line ${lines.at(first).line})`);
      }
      walk(pair.value, path === "" ? key : `${path}.${key}`);
    }
    items(doc, node).forEach((item, i) => walk(item, `${path}[${i}]`));
  };
  walk(doc.contents, "");
  return out;
}

/**
 * Reads the document into a DesiredState, normalizing values and recording value-level and
 * cross-entry problems. Defensive about types: schema problems are reported elsewhere, and
 * whatever is well-formed is still checked so the user sees every problem at once.
 */
function readDesiredState(doc: Document, data: unknown, at: At, problems: ConfigProblem[]): DesiredState {
  const root = isRecord(data) ? data : {};
  const defaults = isRecord(root["defaults"]) ? root["defaults"] : {};
  let country = DEFAULT_COUNTRY;
  if (typeof defaults["country"] === "string" && /^[A-Za-z]{2}$/.test(defaults["country"])) {
    if (isKnownCountry(defaults["country"])) country = defaults["country"].toUpperCase();
    else {
      problems.push(
        at(
          "invalid_country",
          `defaults.country: ${quote(defaults["country"])} is not a country code libphonenumber knows (e.g. US, GB, DE)`,
          locate(doc, ["defaults", "country"]).node,
          "defaults.country",
        ),
      );
    }
  }
  const pick = <T extends string>(value: unknown, allowed: readonly string[], fallback: T): T =>
    typeof value === "string" && allowed.includes(value) ? (value as T) : fallback;
  const membership = pick<Membership>(defaults["membership"], MEMBERSHIPS, "authoritative");
  const match = pick<MatchMode>(defaults["match"], MATCHES, "one");
  const missing = pick<MissingMode>(defaults["missing"], MISSINGS, "skip");

  const names = new Map<string, { path: string; line: number }>();
  const claimName = (raw: string, path: string, node: RangedNode | null | undefined): void => {
    const key = groupNameKey(raw);
    const problem = at("duplicate_group_name", "", node, path);
    const first = names.get(key);
    if (first) {
      problems.push({
        ...problem,
        message: `${path}: ${quote(raw.trim())} is already used by ${first.path} (line ${first.line}); group names must be unique (compared ignoring case and spacing)`,
      });
    } else names.set(key, { path, line: problem.line });
  };

  const groups: DesiredGroup[] = [];
  const groupsNode = locate(doc, ["groups"]).node;
  for (const [key, pair] of entries(doc, groupsNode)) {
    const group = isRecord(root["groups"]) ? root["groups"][key] : undefined;
    if (!isRecord(group)) continue;
    const path = displayPath(["groups", key], root);
    const fields = new Map(entries(doc, pair.value));
    const valueNode = (name: string) => resolve(doc, fields.get(name)?.value) as RangedNode | undefined;

    const name = typeof group["name"] === "string" ? group["name"].trim() : "";
    if (name !== "") claimName(name, `${path}.name`, valueNode("name"));
    const previously = Array.isArray(group["previously"])
      ? group["previously"].filter((p): p is string => typeof p === "string").map((p) => p.trim())
      : [];
    const previousNodes = items(doc, valueNode("previously"));
    previously.forEach((p, i) => {
      if (p !== "" && groupNameKey(p) !== groupNameKey(name)) {
        claimName(p, `${path}.previously[${i}]`, resolve(doc, previousNodes[i]) as RangedNode);
      }
    });

    const rules = readRules(
      doc,
      valueNode("members"),
      group["members"],
      `${path}.members`,
      country,
      at,
      problems,
    );
    const id = typeof group["id"] === "string" ? group["id"].trim() : undefined;
    groups.push({
      key,
      name,
      previously: previously.filter((p) => p !== ""),
      ...(id ? { id } : {}),
      membership: pick(group["membership"], MEMBERSHIPS, membership),
      match: pick(group["match"], MATCHES, match),
      missing: pick(group["missing"], MISSINGS, missing),
      rules,
    });
  }
  return {
    country,
    unmanagedGroups: root["unmanaged_groups"] === "delete" ? "delete" : "ignore",
    groups,
  };
}

function readRules(
  doc: Document,
  node: RangedNode | undefined,
  members: unknown,
  path: string,
  country: string,
  at: At,
  problems: ConfigProblem[],
): Rule[] {
  if (!Array.isArray(members)) return [];
  const nodes = items(doc, node);
  const rules: Rule[] = [];
  const seen = new Map<string, { index: number; line: number }>();
  members.forEach((member: unknown, index) => {
    if (!isRecord(member)) return;
    const keys = Object.keys(member);
    const kind = keys[0];
    if (keys.length !== 1 || kind === undefined || !RULE_KINDS.includes(kind)) return;
    const pair = entries(doc, nodes[index]).find(([k]) => k === kind)?.[1];
    const valueNode = resolve(doc, pair?.value) as RangedNode | undefined;
    const rulePath = `${path}[${index}].${kind}`;
    const value = member[kind];
    // Unquoted numbers lose a leading 0 or + in YAML: read phones from their source text.
    const raw =
      typeof value === "number" && isScalar(valueNode) && valueNode.source !== undefined
        ? valueNode.source
        : value;
    if (typeof raw !== "string" && typeof raw !== "number") return;
    const normalized = normalizeRule(kind as RuleKind, String(raw), country);
    if (!normalized.ok) {
      problems.push(at(normalized.code, `${rulePath}: ${normalized.message}`, valueNode, rulePath));
      return;
    }
    const rule: Rule = { kind: kind as RuleKind, value: normalized.value };
    const id = `${rule.kind}\u0000${rule.value}`;
    const here = at("duplicate_rule", "", valueNode, rulePath);
    const first = seen.get(id);
    if (first) {
      problems.push({
        ...here,
        message: `${rulePath}: ${rule.kind} ${rule.value} is already listed at members[${first.index}] (line ${first.line}); list each rule once per group`,
      });
      return;
    }
    seen.set(id, { index, line: here.line });
    rules.push(rule);
  });
  return rules;
}

type Normalized = { ok: true; value: string } | { ok: false; code: ConfigProblemCode; message: string };

function normalizeRule(kind: RuleKind, raw: string, country: string): Normalized {
  switch (kind) {
    case "email": {
      const value = normalizeEmail(raw);
      return value
        ? { ok: true, value }
        : { ok: false, code: "invalid_email", message: `${quote(raw)} is not a valid email address` };
    }
    case "phone": {
      const value = normalizePhone(raw, country);
      if (value) return { ok: true, value };
      const hint = raw.trim().startsWith("+")
        ? ""
        : ` (read as a ${country} number; write other countries with their +country code)`;
      return {
        ok: false,
        code: "invalid_phone",
        message: `${quote(raw)} is not a valid phone number${hint}`,
      };
    }
    case "email_domain": {
      const value = normalizeEmailDomain(raw);
      if (value) return { ok: true, value };
      if (/^\s*@/.test(raw) && normalizeEmailDomain(raw.trim().slice(1))) {
        return {
          ok: false,
          code: "invalid_email_domain",
          message: `write the domain without '@': email_domain: ${raw.trim().slice(1).toLowerCase()}`,
        };
      }
      const hint = /.@/.test(raw) ? " (for one address, use 'email:')" : "";
      return {
        ok: false,
        code: "invalid_email_domain",
        message: `${quote(raw)} is not a domain name such as example.org${hint}`,
      };
    }
    case "customer_id":
      return { ok: true, value: raw.trim() };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
