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
import { displayPath, quote } from "./display-path.js";
import { isKnownCountry, normalizeEmail, normalizeEmailDomain, normalizePhone } from "./normalize.js";
import type { ConfigProblem, ConfigProblemCode } from "./problems.js";
import { createValueLocator, type ParsedConfig, type ValueLocator } from "./yaml-nodes.js";

const DEFAULT_COUNTRY = "US";
const MEMBERSHIPS: readonly string[] = ["authoritative", "additive"];
const MATCHES: readonly string[] = ["one", "all"];
const MISSINGS: readonly string[] = ["skip", "error", "create"];
const RULE_KINDS: readonly string[] = ["email", "phone", "email_domain", "customer_id"];

/**
 * Reads the parsed data into a DesiredState, normalizing values and recording value-level and
 * cross-entry problems (pointed at in the document). Defensive about types: schema problems are
 * reported elsewhere, and whatever is well-formed is still checked so the user sees every problem
 * at once.
 */
export function readDesiredState(parsed: ParsedConfig, problems: ConfigProblem[]): DesiredState {
  const source = createValueLocator(parsed);
  const data = parsed.data;
  const root = isRecord(data) ? data : {};
  const defaults = isRecord(root["defaults"]) ? root["defaults"] : {};
  let country = DEFAULT_COUNTRY;
  if (typeof defaults["country"] === "string" && /^[A-Za-z]{2}$/.test(defaults["country"])) {
    if (isKnownCountry(defaults["country"])) country = defaults["country"].toUpperCase();
    else {
      problems.push(
        source.problem(
          "GS_CONFIG_INVALID_COUNTRY",
          `defaults.country: ${quote(defaults["country"])} is not a country code libphonenumber knows (e.g. US, GB, DE)`,
          ["defaults", "country"],
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

  // Positions are looked up only for a duplicate: most files have none.
  const names = new Map<string, { path: string; segments: readonly string[] }>();
  const claimName = (raw: string, path: string, segments: readonly string[]): void => {
    const key = groupNameKey(raw);
    const first = names.get(key);
    if (first) {
      const line = source.problem("GS_CONFIG_DUPLICATE_GROUP_NAME", "", first.segments).line;
      problems.push({
        ...source.problem("GS_CONFIG_DUPLICATE_GROUP_NAME", "", segments, path),
        message: `${path}: ${quote(raw.trim())} is already used by ${first.path} (line ${line}); group names must be unique (compared ignoring case and spacing)`,
      });
    } else names.set(key, { path, segments });
  };

  const groups: DesiredGroup[] = [];
  for (const key of source.groupKeys()) {
    const group = isRecord(root["groups"]) ? root["groups"][key] : undefined;
    if (!isRecord(group)) continue;
    const path = displayPath(["groups", key], root);

    // Names are kept exactly as written, spaces and all: core renames a live group whose name
    // differs in case or spacing (DESIGN.md §3), so a trimmed copy of what import wrote would
    // rename every group whose live name has leading or trailing spaces. Blank is a schema error.
    const name = typeof group["name"] === "string" ? group["name"] : "";
    if (name.trim() !== "") claimName(name, `${path}.name`, ["groups", key, "name"]);
    const previously = Array.isArray(group["previously"])
      ? group["previously"].filter((p): p is string => typeof p === "string")
      : [];
    previously.forEach((p, i) => {
      // `i` counts text entries only, as the position always has (a non-text entry is a schema problem).
      if (p.trim() !== "" && groupNameKey(p) !== groupNameKey(name)) {
        claimName(p, `${path}.previously[${i}]`, ["groups", key, "previously", String(i)]);
      }
    });

    const rules = readRules(
      group["members"],
      ["groups", key, "members"],
      `${path}.members`,
      country,
      source,
      problems,
    );
    const id = typeof group["id"] === "string" ? group["id"].trim() : undefined;
    groups.push({
      key,
      name,
      previously: previously.filter((p) => p.trim() !== ""),
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
  members: unknown,
  segments: readonly string[],
  path: string,
  country: string,
  source: ValueLocator,
  problems: ConfigProblem[],
): Rule[] {
  if (!Array.isArray(members)) return [];
  const rules: Rule[] = [];
  // Positions are looked up only for a problem: most files have none. A map per kind, keyed by
  // the value itself: no key to build per rule, and the value's hash is reused by the diff.
  const seen: Record<RuleKind, Map<string, number>> = {
    email: new Map(),
    phone: new Map(),
    email_domain: new Map(),
    customer_id: new Map(),
  };
  members.forEach((member: unknown, index) => {
    if (!isRecord(member)) return;
    const keys = Object.keys(member);
    const kind = keys[0];
    if (keys.length !== 1 || kind === undefined || !RULE_KINDS.includes(kind)) return;
    const value = member[kind];
    // Unquoted numbers lose a leading 0 or + in YAML: read phones from their source text.
    const raw =
      typeof value === "number" ? (source.numberText(ruleSegments(segments, index, kind)) ?? value) : value;
    if (typeof raw !== "string" && typeof raw !== "number") return;
    const normalized = normalizeRule(kind as RuleKind, String(raw), country);
    if (!normalized.ok) {
      const rulePath = `${path}[${index}].${kind}`;
      problems.push(
        source.problem(
          normalized.code,
          `${rulePath}: ${normalized.message}`,
          ruleSegments(segments, index, kind),
          rulePath,
        ),
      );
      return;
    }
    const rule: Rule = { kind: kind as RuleKind, value: normalized.value };
    const first = seen[rule.kind].get(rule.value);
    if (first !== undefined) {
      const rulePath = `${path}[${index}].${kind}`;
      const line = source.problem("GS_CONFIG_DUPLICATE_RULE", "", ruleSegments(segments, first, kind)).line;
      problems.push({
        ...source.problem("GS_CONFIG_DUPLICATE_RULE", "", ruleSegments(segments, index, kind), rulePath),
        message: `${rulePath}: ${rule.kind} ${rule.value} is already listed at members[${first}] (line ${line}); list each rule once per group`,
      });
      return;
    }
    seen[rule.kind].set(rule.value, index);
    rules.push(rule);
  });
  return rules;
}

/** Where a rule's value is: `members` segments, the rule's index, its kind. */
function ruleSegments(members: readonly string[], index: number, kind: string): string[] {
  return [...members, String(index), kind];
}

type Normalized = { ok: true; value: string } | { ok: false; code: ConfigProblemCode; message: string };

function normalizeRule(kind: RuleKind, raw: string, country: string): Normalized {
  switch (kind) {
    case "email": {
      const value = normalizeEmail(raw);
      return value
        ? { ok: true, value }
        : {
            ok: false,
            code: "GS_CONFIG_INVALID_EMAIL",
            message: `${quote(raw)} is not a valid email address`,
          };
    }
    case "phone": {
      const value = normalizePhone(raw, country);
      if (value) return { ok: true, value };
      const hint = raw.trim().startsWith("+")
        ? ""
        : ` (read as a ${country} number; write other countries with their +country code)`;
      return {
        ok: false,
        code: "GS_CONFIG_INVALID_PHONE",
        message: `${quote(raw)} is not a valid phone number${hint}`,
      };
    }
    case "email_domain": {
      const value = normalizeEmailDomain(raw);
      if (value) return { ok: true, value };
      if (/^\s*@/.test(raw) && normalizeEmailDomain(raw.trim().slice(1))) {
        return {
          ok: false,
          code: "GS_CONFIG_INVALID_EMAIL_DOMAIN",
          message: `write the domain without '@': email_domain: ${raw.trim().slice(1).toLowerCase()}`,
        };
      }
      const hint = /.@/.test(raw) ? " (for one address, use 'email:')" : "";
      return {
        ok: false,
        code: "GS_CONFIG_INVALID_EMAIL_DOMAIN",
        message: `${quote(raw)} is not a domain name such as example.org${hint}`,
      };
    }
    case "customer_id":
      return { ok: true, value: raw.trim() };
  }
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
