import { extname, resolve } from "node:path";
import { quoteText, type DesiredGroup } from "@groupsync/core";
import { listGroups } from "@groupsync/square";
import { booleanOption, stringListOption, stringOption, type CommandContext } from "../command.js";
import { connect, describeCalls } from "../connect.js";
import { CliError, UsageError } from "../errors.js";
import { pathExists } from "../files.js";
import { loadConfig, locateConfig } from "../load-config.js";
import { parseFields, selectFields } from "./fields.js";
import { confirmPages, type Confirmation } from "./confirm-pages.js";
import { exportPages } from "./export-pages.js";
import { createFormatter, MEMBER_FORMATS, type MemberFormat } from "./formats.js";
import { buildGroupFilter, type GroupMode } from "./membership-filter.js";
import { createStreamSink, openFileSink, OutputClosedError, type Sink } from "./output-sink.js";
import { resolveGroups, UnknownGroupError, type ResolvedGroup } from "./resolve-groups.js";

/** Square's cap on IDs in one `group_ids` list (undocumented; the emulator's 100). */
const MAX_FILTER_IDS = 100;

/** `groupsync members` (issue 7), loaded only when the command runs. */
export async function runMembers(context: CommandContext): Promise<number> {
  const out = stringOption(context, "out");
  const format = formatOption(context, out);
  const fields = parseFields(stringOption(context, "fields"));
  const redact = booleanOption(context, "redact") === true;
  const csvRaw = booleanOption(context, "csv-raw") === true;
  if (csvRaw && format !== "csv")
    throw new UsageError(`--csv-raw is for CSV output, not ${format}.`, "members");
  const consistent = booleanOption(context, "consistent") === true;
  const mode = modeOption(context);
  const include = context.positionals;
  const notValues = stringListOption(context, "not");
  if (include.length === 0 && notValues.length === 0) {
    throw new UsageError("Name at least one group (a key of groups.yaml, a group name or ID).", "members");
  }
  const desired = await readKeys(context);
  const file = locateConfig(context.io.cwd, stringOption(context, "file")).display;

  const connection = connect(context, "members");
  // A bar redrawn in place only when stderr is a terminal (stdout may be a file or a pipe).
  const progress = connection.progress;
  try {
    const live: Parameters<typeof resolveGroups>[1][number][] = [];
    for await (const group of listGroups(connection.client)) live.push(group);
    const listed = resolveGroups(include, live, desired, file);
    const excluded = notValues.flatMap((raw) => resolveNot(raw, live, desired, file));
    checkGroups(listed, excluded);
    const filter = buildGroupFilter(
      listed.map((g) => g.id),
      mode,
      excluded.map((g) => g.id),
    );

    const target = out === undefined ? "stdout" : out;
    const sink: Sink =
      out === undefined
        ? createStreamSink(context.io.stdout, context.output.redact)
        : await openFileSink(resolve(context.io.cwd, out), out, context.output.redact);
    const formatter = createFormatter(format, fields, { csvRaw, style: context.style });
    const confirmation: Confirmation = { confirmed: 0, noLongerMatching: 0, deleted: 0, updated: 0 };
    let written = 0;
    let pages = 0;
    let total: number | undefined;
    try {
      await sink.write(formatter.begin());
      const searched = exportPages(connection.client, { group_ids: filter });
      const source = consistent ? confirmPages(connection.client, searched, filter, confirmation) : searched;
      for await (const page of source) {
        pages++;
        total ??= page.count;
        const profiles = page.customers;
        const text = formatter.page(profiles.map((c) => selectFields(c, fields, redact)));
        if (text !== "") await sink.write(text);
        written += profiles.length;
        progress.update(`profiles (page ${pages})`, written, total);
      }
      await sink.write(formatter.finish());
      await sink.commit();
    } catch (error) {
      await sink.abort();
      if (error instanceof OutputClosedError) return 0;
      throw error;
    }
    progress.done();
    const where = out === undefined ? "" : ` to ${target}`;
    context.output.err(`Listed ${plural(written, "profile")} ${describe(listed, mode, excluded)}${where}.\n`);
    if (consistent) context.output.err(describeConfirmation(confirmation));
    return 0;
  } finally {
    progress.done();
    context.output.err(describeCalls(connection));
    await connection.close();
  }
}

/** `--format`, else by `--out`'s extension, else table for a person at a terminal, csv otherwise. */
function formatOption(context: CommandContext, out: string | undefined): MemberFormat {
  const raw = stringOption(context, "format");
  if (raw !== undefined) {
    const format = raw.trim().toLowerCase();
    if ((MEMBER_FORMATS as readonly string[]).includes(format)) return format as MemberFormat;
    throw new UsageError(`--format must be one of ${MEMBER_FORMATS.join(", ")}, not "${raw}".`, "members");
  }
  if (out !== undefined) {
    const ext = extname(out).toLowerCase();
    if (ext === ".json") return "json";
    if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
    if (ext === ".txt") return "table";
    return "csv";
  }
  return context.io.isTTY === true ? "table" : "csv";
}

function modeOption(context: CommandContext): GroupMode {
  const all = booleanOption(context, "all") === true;
  const any = booleanOption(context, "any") === true;
  if (all && any) throw new UsageError("--all and --any exclude each other.", "members");
  return any ? "any" : "all";
}

/**
 * The keys of groups.yaml: from `--file`, which must then exist and be valid, or from
 * ./groups.yaml when there is one. An invalid ./groups.yaml does not stop a listing by name
 * or ID: its keys are just not known (with a warning).
 */
async function readKeys(context: CommandContext): Promise<readonly DesiredGroup[]> {
  const file = stringOption(context, "file");
  const location = locateConfig(context.io.cwd, file);
  if (file === undefined && !(await pathExists(location.path))) return [];
  try {
    return (await loadConfig(location, { style: context.style })).desired.groups;
  } catch (error) {
    if (file !== undefined || !(error instanceof CliError)) throw error;
    context.output.err(
      `Warning: ${error.message} Its keys are not used; run "groupsync validate" for the problems.\n`,
    );
    return [];
  }
}

/** `--not a,b`: the whole value names a group if it can (names may hold commas), else each part. */
function resolveNot(
  raw: string,
  live: Parameters<typeof resolveGroups>[1],
  desired: readonly DesiredGroup[],
  file: string,
): ResolvedGroup[] {
  try {
    return resolveGroups([raw], live, desired, file);
  } catch (error) {
    if (!(error instanceof UnknownGroupError) || !raw.includes(",")) throw error;
    const parts = raw
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "");
    return resolveGroups(parts, live, desired, file);
  }
}

function checkGroups(listed: readonly ResolvedGroup[], excluded: readonly ResolvedGroup[]): void {
  const excludedIds = new Set(excluded.map((g) => g.id));
  const both = listed.find((g) => excludedIds.has(g.id));
  if (both !== undefined) {
    throw new UsageError(`"${both.name}" is both listed and left out with --not.`, "members");
  }
  for (const [list, what] of [
    [listed, "groups"],
    [excluded, "--not groups"],
  ] as const) {
    if (new Set(list.map((g) => g.id)).size > MAX_FILTER_IDS) {
      throw new UsageError(
        `At most ${MAX_FILTER_IDS} ${what} at once (a limit of Square's search).`,
        "members",
      );
    }
  }
}

function describe(
  listed: readonly ResolvedGroup[],
  mode: GroupMode,
  excluded: readonly ResolvedGroup[],
): string {
  const names = (groups: readonly ResolvedGroup[], joiner: string) =>
    groups.map((g) => quoteText(g.name)).join(joiner);
  const parts: string[] = [];
  if (listed.length === 1) parts.push(`in ${names(listed, "")}`);
  else if (listed.length > 1) parts.push(`in ${mode === "all" ? "all" : "any"} of ${names(listed, ", ")}`);
  if (excluded.length > 0) parts.push(`not in ${names(excluded, " or ")}`);
  return parts.join(", ");
}

function describeConfirmation(c: Confirmation): string {
  const dropped = c.noLongerMatching + c.deleted;
  const lines = [
    `Confirmed ${plural(c.confirmed, "profile")} with BulkRetrieveCustomers` +
      (dropped === 0
        ? "; search and the profiles agree."
        : `; dropped ${dropped} that search still listed: ${c.noLongerMatching} no longer matching the groups, ${c.deleted} deleted.`),
  ];
  if (c.updated > 0) {
    lines.push(
      `${plural(c.updated, "profile")} changed since search indexed them: exported as they are now.`,
    );
  }
  lines.push("Profiles that joined in the last minute or so may not be listed yet (search lag).");
  return `${lines.join("\n")}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
