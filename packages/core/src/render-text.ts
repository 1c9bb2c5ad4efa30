import { unmanagedGroupAddress } from "./address.js";
import { describeIdentity, plural, summaryLine } from "./describe.js";
import { escapeText, quoteText } from "./sanitize.js";
import { padToWidth, PLAIN_STYLE, type TextStyle } from "./text-style.js";
import type {
  Action,
  AddMemberAction,
  DeleteGroupAction,
  Plan,
  RemoveMemberAction,
  RuleResolution,
} from "./types.js";

/** Options of {@link renderText}. */
export interface RenderTextOptions {
  /** Colours and column widths. Default {@link PLAIN_STYLE} (no colours). */
  readonly style?: TextStyle;
  /** Mask identities that are not in the file (members being removed...). Default false. */
  readonly redact?: boolean;
  /** The config file's name, for notes that name it (`--file pin.yaml`). Default `groups.yaml`. */
  readonly file?: string;
  /** How the user lifts each safety guard, in the caller's words; see {@link SafetyOverrides}. */
  readonly overrides?: SafetyOverrides;
}

/**
 * How the user lifts each safety guard of DESIGN.md §5, shown as `(needs ...)` after its note.
 * The CLI passes its flags; core names none and says `an explicit override` without them.
 */
export interface SafetyOverrides {
  readonly massRemoval?: string;
  readonly delete?: string;
  /** The switch that held removals back (`plan.kept`), named in its lines: `kept: --no-removals`. */
  readonly noRemovals?: string;
}

/**
 * Renders a plan like `terraform plan`: a `+`/`~`/`-` block per group, each rule's resolution
 * (matched, not found, ambiguous (N profiles)), warnings, safety notes, errors, then the
 * summary line (`Plan: ...` or `No changes.`). Ends with a newline. Every string from Square or
 * from the file goes through the sanitizer (`escapeText`, `quoteText`): one line each, no control.
 */
export function renderText(plan: Plan, options: RenderTextOptions = {}): string {
  const lines = planLines(
    plan,
    options.redact === true,
    options.style ?? PLAIN_STYLE,
    options.file,
    options.overrides,
  );
  return lines.join("\n") + "\n";
}

/** The body shared by the text and markdown renderers. */
export function planLines(
  plan: Plan,
  redact: boolean,
  style: TextStyle,
  file = "groups.yaml",
  overrides: SafetyOverrides = {},
): string[] {
  const paint = (color: "bold" | "red" | "green" | "yellow", text: string): string => style[color](text);
  const out: string[] = [];
  const byGroup = new Map<string, Action[]>();
  const deletes: Action[] = [];
  for (const a of plan.actions) {
    if (a.type === "delete_group") deletes.push(a);
    else push(byGroup, a.group, a);
  }
  const keptByGroup = new Map<string, RemoveMemberAction[]>();
  const keptDeletes: DeleteGroupAction[] = [];
  const keptBy = overrides.noRemovals ?? "removals held back";
  for (const a of plan.kept?.actions ?? []) {
    if (a.type === "delete_group") keptDeletes.push(a);
    else push(keptByGroup, a.group, a);
  }
  const rulesByGroup = new Map<string, RuleResolution[]>();
  for (const r of plan.rules) push(rulesByGroup, r.group, r);

  const blocks: string[][] = [];
  for (const g of plan.groups) {
    const actions = byGroup.get(g.group) ?? [];
    const rules = rulesByGroup.get(g.group) ?? [];
    const notable = rules.filter((r) => r.status !== "matched");
    const kept = keptByGroup.get(g.group) ?? [];
    if (actions.length === 0 && notable.length === 0 && kept.length === 0) continue;
    const block: string[] = [];
    const created = actions.some((a) => a.type === "create_group");
    const rename = actions.find((a) => a.type === "rename_group");
    const sign = created ? "+" : actions.length > 0 ? "~" : " ";
    const color = created ? "green" : "yellow";
    const verb = created
      ? "will be created"
      : actions.length > 0
        ? "will be updated in place"
        : "has no changes";
    const key = escapeText(g.group);
    block.push(`  # group.${key} ${verb}`);
    block.push(
      paint(color, `  ${sign} group.${key} ${quoteText(g.name)}`) +
        (g.groupId === undefined ? "" : ` (${escapeText(g.groupId)})`),
    );
    if (rename !== undefined && rename.type === "rename_group") {
      block.push(paint("yellow", `      ~ name: ${quoteText(rename.from)} -> ${quoteText(rename.to)}`));
    }
    const entries: Array<{ sign: "+" | "-" | " "; who: string; note: string }> = [];
    const addsByRule = new Map<string, AddMemberAction[]>();
    for (const a of actions) if (a.type === "add_member") push(addsByRule, a.rule, a);
    const addLine = (a: AddMemberAction, r: RuleResolution | undefined): void => {
      const created = "created" in a.customer;
      const who = describeIdentity(a.identity, "id" in a.customer ? a.customer.id : undefined, redact);
      const rule = escapeText(a.rule);
      let note: string;
      if (created && who === a.rule) note = "not found: the profile will be created";
      else if (created) note = `matched by ${rule}: a profile this plan creates`;
      else if (who === a.rule && r !== undefined) note = resolution(r);
      else note = `matched by ${rule}`;
      entries.push({ sign: "+", who: escapeText(who), note });
    };
    for (const r of rules) {
      const adds = addsByRule.get(r.rule) ?? [];
      addsByRule.delete(r.rule);
      for (const a of adds) addLine(a, r);
      if (adds.length === 0 && r.status !== "matched") {
        entries.push({
          sign: " ",
          who: escapeText(r.rule),
          note: resolution(r) + (r.status === "not_found" ? ", skipped" : ""),
        });
      }
    }
    // Adds credited to no resolved rule (hand-built plans): shown all the same.
    for (const adds of addsByRule.values()) for (const a of adds) addLine(a, undefined);
    for (const a of actions) {
      if (a.type !== "remove_member") continue;
      entries.push({
        sign: "-",
        who: escapeText(describeIdentity(a.identity, a.customerId, redact)),
        note: "no rule matches",
      });
    }
    for (const a of kept) {
      entries.push({
        sign: " ",
        who: escapeText(describeIdentity(a.identity, a.customerId, redact)),
        note: `kept: ${keptBy} (no rule matches)`,
      });
    }
    // A loop, not Math.max(...): a group can have hundreds of thousands of entries.
    let width = 0;
    for (const e of entries) width = Math.max(width, Math.min(48, style.width(e.who)));
    for (const e of entries) {
      const text = `      ${e.sign} ${padToWidth(e.who, width, style)}  ${e.note}`;
      block.push(e.sign === "+" ? paint("green", text) : e.sign === "-" ? paint("red", text) : text);
    }
    blocks.push(block);
  }
  for (const a of deletes) {
    if (a.type !== "delete_group") continue;
    const members = plan.safety.deletedGroups?.find((d) => d.groupId === a.groupId)?.liveMembers;
    blocks.push([
      `  # ${escapeText(a.address)} will be deleted (not in ${escapeText(file)}, unmanaged_groups: delete)`,
      paint("red", `  - ${escapeText(a.address)} ${quoteText(a.name)}`) +
        (members === undefined ? "" : ` (${plural(members, "member")})`),
    ]);
  }
  for (const a of keptDeletes) {
    blocks.push([
      `  # ${escapeText(a.address)} kept: ${keptBy} (not in ${escapeText(file)}, unmanaged_groups: delete)`,
      `    ${escapeText(a.address)} ${quoteText(a.name)}`,
    ]);
  }
  if (blocks.length > 0 && plan.actions.length > 0) {
    out.push("groupsync will perform the following actions:", "");
  }
  for (const b of blocks) {
    for (const line of b) out.push(line);
    out.push("");
  }

  if (plan.warnings.length > 0) {
    out.push(paint("yellow", "Warnings:"));
    for (const w of plan.warnings) out.push(paint("yellow", `  ! ${escapeText(w.message)}`));
    out.push("");
  }
  const safety = safetyLines(plan, SHOW_TEXT, overrides);
  if (safety.length > 0) {
    out.push(paint("red", "Safety:"));
    for (const s of safety) out.push(paint("red", `  ! ${s}`));
    out.push("");
  }
  if (plan.errors.length > 0) {
    for (const e of plan.errors) {
      out.push(paint("red", `Error: ${escapeText(e.message)}`));
      if (e.hint !== undefined) out.push(`  hint: ${escapeText(e.hint)}`);
    }
    out.push(
      "",
      paint("bold", `The plan has ${plural(plan.errors.length, "error")}; nothing can be applied.`),
    );
    return out;
  }
  out.push(paint("bold", summaryLine(plan, overrides.noRemovals)));
  return out;
}

/** How a renderer writes a string from outside: quoted (a name, a key) or bare (an address). */
export interface Show {
  readonly quoted: (text: string) => string;
  readonly bare: (text: string) => string;
}

/** On a terminal or in a log. */
export const SHOW_TEXT: Show = { quoted: quoteText, bare: escapeText };

/** Sentences about what DESIGN.md §5 refuses without an explicit opt-in, written with `show`. */
export function safetyLines(plan: Plan, show: Show, overrides: SafetyOverrides = {}): string[] {
  const lines: string[] = [];
  const massRemoval = `(needs ${overrides.massRemoval ?? "an explicit override"})`;
  const deletion = `(needs ${overrides.delete ?? "an explicit override"})`;
  const t = plan.safety.thresholds;
  for (const m of plan.safety.massRemovals) {
    if (m.reason === "delete") {
      const name = plan.safety.deletedGroups?.find((d) => unmanagedGroupAddress(d.groupId) === m.group)?.name;
      lines.push(
        `${show.bare(m.group)}${name === undefined ? "" : ` ${show.quoted(name)}`} is deleted with its ${plural(m.liveMembers, "member")} ${massRemoval}`,
      );
    } else if (m.reason === "no_rules") {
      lines.push(
        `group ${show.quoted(m.group)} is authoritative and has no rules: it would lose every member (${m.liveMembers}) ${massRemoval}`,
      );
    } else {
      const limits =
        m.limit !== undefined
          ? ` (more than its max_removals: ${m.limit})`
          : t === undefined
            ? ""
            : ` (more than ${t.maxRemovalFraction * 100}% and more than ${t.maxRemovalCount})`;
      lines.push(
        `group ${show.quoted(m.group)}: removes ${m.removing} of ${plural(m.liveMembers, "member")}${limits} ${massRemoval}`,
      );
    }
  }
  if (plan.safety.deletes > 0) {
    const members = (plan.safety.deletedGroups ?? []).reduce((n, d) => n + d.liveMembers, 0);
    const withMembers = plan.safety.deletedGroups === undefined ? "" : ` (${plural(members, "member")})`;
    lines.push(`deletes ${plural(plan.safety.deletes, "group")}${withMembers} ${deletion}`);
  }
  return lines;
}

function resolution(r: RuleResolution): string {
  if (r.status === "matched")
    return r.profileIds.length > 1 ? `matched (${r.profileIds.length} profiles)` : "matched";
  if (r.status === "not_found") return "not found";
  return `ambiguous (${r.profileIds.length} profiles)`;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, [value]);
  else bucket.push(value);
}
