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
import { isKnownCountry } from "./normalize.js";
import { normalizeRule } from "./normalize-rule.js";
import { checkMembersFilePath, createMembersFiles, type MembersFiles } from "./members-file.js";
import type { ConfigProblem } from "./problems.js";
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
export function readDesiredState(
  parsed: ParsedConfig,
  problems: ConfigProblem[],
  membersFiles: MembersFiles = createMembersFiles(undefined, "groups.yaml"),
): DesiredState {
  const source = createValueLocator(parsed);
  const data = parsed.data;
  // A file named by two groups has its own problems reported once.
  const reported = new Set<string>();
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
  const maxRemovals = removalLimit(defaults["max_removals"]);

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

    const seen = emptySeen();
    const rules = readRules(
      group["members"],
      ["groups", key, "members"],
      `${path}.members`,
      country,
      source,
      problems,
      seen,
    );
    const file = group["members_file"];
    if (typeof file === "string" && file.trim() !== "") {
      const list = { written: file, segments: ["groups", key, "members_file"], path: `${path}.members_file` };
      const fromFile = readMembersFile(list, country, source, problems, seen, membersFiles, reported);
      for (let i = 0; i < fromFile.length; i++) rules.push(fromFile[i] as Rule);
    }
    const id = typeof group["id"] === "string" ? group["id"].trim() : undefined;
    const limit = removalLimit(group["max_removals"]) ?? maxRemovals;
    groups.push({
      key,
      name,
      previously: previously.filter((p) => p.trim() !== ""),
      ...(id ? { id } : {}),
      membership: pick(group["membership"], MEMBERSHIPS, membership),
      match: pick(group["match"], MATCHES, match),
      missing: pick(group["missing"], MISSINGS, missing),
      ...(limit === undefined ? {} : { maxRemovals: limit }),
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
  seen: Seen,
): Rule[] {
  if (!Array.isArray(members)) return [];
  const rules: Rule[] = [];
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
    // Inline rules come first: an earlier one is always an index.
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

/**
 * The inline rules of a group, by kind and value: each one's index. A repeat's `first` is that
 * index, or for the rule at index i of the members file, `CSV_RULE - i` (negative). Positions are
 * looked up only for a problem: most files have none. Keyed by the value itself: no key to build
 * per rule, and the value's hash is reused by the diff.
 */
type Seen = Record<RuleKind, Map<string, number>>;
const CSV_RULE = -1;
/** A repeat within the file whose first cell is not looked up yet. */
const FIRST_UNKNOWN = Number.MIN_SAFE_INTEGER;

function emptySeen(): Seen {
  return { email: new Map(), phone: new Map(), email_domain: new Map(), customer_id: new Map() };
}

function emptyInFile(): Record<RuleKind, Set<string>> {
  return { email: new Set(), phone: new Set(), email_domain: new Set(), customer_id: new Set() };
}

/** Sets `first` of each in-file repeat (`FIRST_UNKNOWN`) to `CSV_RULE - i`, `i` the first rule with its value. */
function findFirstInFile(rules: readonly Rule[], repeats: Array<{ index: number; first: number }>): void {
  const firsts = new Map<string, number>();
  for (const r of repeats) {
    if (r.first !== FIRST_UNKNOWN) continue;
    const rule = rules[r.index] as Rule;
    firsts.set(`${rule.kind}\0${rule.value}`, -1);
  }
  let left = firsts.size;
  for (let i = 0; i < rules.length && left > 0; i++) {
    const rule = rules[i] as Rule;
    const key = `${rule.kind}\0${rule.value}`;
    if (firsts.get(key) !== -1) continue;
    firsts.set(key, i);
    left--;
  }
  for (const r of repeats) {
    if (r.first !== FIRST_UNKNOWN) continue;
    const rule = rules[r.index] as Rule;
    r.first = CSV_RULE - (firsts.get(`${rule.kind}\0${rule.value}`) ?? 0);
  }
}

/**
 * The rules of a group's `members_file` (DESIGN.md §2), after its inline rules: a cell whose
 * rule the group already has is a `GS_CONFIG_DUPLICATE_RULE` problem at the cell, naming the first.
 */
function readMembersFile(
  list: { written: string; segments: readonly string[]; path: string },
  country: string,
  source: ValueLocator,
  problems: ConfigProblem[],
  seen: Seen,
  membersFiles: MembersFiles,
  reported: Set<string>,
): Rule[] {
  const checked = checkMembersFilePath(list.written);
  if (!checked.ok) {
    problems.push(
      source.problem(
        "GS_CONFIG_INVALID_MEMBERS_FILE",
        `${list.path}: ${checked.message}`,
        list.segments,
        list.path,
      ),
    );
    return [];
  }
  const loaded = membersFiles.load(checked.path, country);
  const first = !reported.has(loaded.display);
  reported.add(loaded.display);
  if (!loaded.ok) {
    if (loaded.problems !== undefined) {
      if (first) for (const p of loaded.problems) problems.push(p);
    } else {
      problems.push(
        source.problem(
          "GS_CONFIG_MEMBERS_FILE_UNREADABLE",
          `${list.path}: ${loaded.message}`,
          list.segments,
          list.path,
        ),
      );
    }
    return [];
  }
  const { table } = loaded;
  if (first) for (const p of table.problems) problems.push(p);
  const rules: Rule[] = [];
  const repeats: Array<{ index: number; first: number }> = [];
  // One hash operation a cell (a Set's size says whether the value was new); where the first of a
  // repeated value is, is looked up afterwards, for repeats only.
  const inFileSeen = emptyInFile();
  let repeatedInFile = false;
  for (let i = 0; i < table.rules.length; i++) {
    const rule = table.rules[i] as Rule;
    const inline = seen[rule.kind];
    const earlier = inline.size === 0 ? undefined : inline.get(rule.value);
    if (earlier !== undefined) {
      repeats.push({ index: i, first: earlier });
      continue;
    }
    const values = inFileSeen[rule.kind];
    const size = values.size;
    if (values.add(rule.value).size === size) {
      repeats.push({ index: i, first: FIRST_UNKNOWN });
      repeatedInFile = true;
      continue;
    }
    rules.push(rule);
  }
  if (repeats.length === 0) return rules;
  if (repeatedInFile) findFirstInFile(table.rules, repeats);
  const inFile = repeats.flatMap((r) => (r.first < 0 ? [CSV_RULE - r.first] : []));
  const positions = table.locate([...repeats.map((r) => r.index), ...inFile]);
  let next = repeats.length;
  repeats.forEach(({ index, first }, i) => {
    const rule = table.rules[index] as Rule;
    let where: string;
    if (first >= 0) {
      const members = [...list.segments.slice(0, -1), "members"];
      const inline = source.problem("GS_CONFIG_DUPLICATE_RULE", "", ruleSegments(members, first, rule.kind));
      where = `at ${list.path.replace(/_file$/, "")}[${first}] (${inline.file} line ${inline.line})`;
    } else {
      where = `on line ${positions[next++]?.line ?? 0}`;
    }
    problems.push({
      code: "GS_CONFIG_DUPLICATE_RULE",
      message: `${rule.kind} ${rule.value} is already listed ${where}; list each rule once per group`,
      file: loaded.display,
      ...(positions[i] ?? { line: 1, col: 1 }),
    });
  });
  return rules;
}

/** Where a rule's value is: `members` segments, the rule's index, its kind. */
function ruleSegments(members: readonly string[], index: number, kind: string): string[] {
  return [...members, String(index), kind];
}

/** `max_removals` when it is a whole number of at least 0 (anything else is a schema problem). */
function removalLimit(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
