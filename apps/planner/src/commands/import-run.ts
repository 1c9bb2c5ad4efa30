import {
  escapeText,
  normalizeEmail,
  normalizePhone,
  quoteText,
  type DesiredState,
  type LiveProfile,
} from "@groupsync/core";
import { normalizeRuleEmail, parseConfig, stringifyConfig, suggestGroupKey } from "@groupsync/config";
import { listGroups, readLiveState, type SquareCustomerGroup } from "@groupsync/square";
import { booleanOption, stringOption, type CommandContext } from "../command.js";
import { connect, describeCalls } from "../connect.js";
import { CliError } from "../errors.js";
import { pathExists, writeFileAtomic } from "../files.js";
import { locateConfig } from "../load-config.js";

/** `groupsync import`, loaded only when the command runs (so that `--help` and `--version` start fast). */
export async function runImport(context: CommandContext): Promise<number> {
  const location = locateConfig(context.io.cwd, stringOption(context, "file"));
  if (booleanOption(context, "force") !== true && (await pathExists(location.path))) {
    throw new CliError(
      "GS_CLI_FILE_EXISTS",
      `${location.display} already exists; import does not overwrite it.`,
      {
        hint: "Pass --force to replace it, or --file to write somewhere else.",
      },
    );
  }
  const connection = connect(context, "import");
  const progress = connection.progress;
  try {
    progress.quietLine("Listing customer groups...");
    const groups: SquareCustomerGroup[] = [];
    for await (const group of listGroups(connection.client)) {
      groups.push(group);
      progress.update("groups", groups.length);
    }
    const imported = pickGroups(groups, (line) => context.output.err(`Warning: ${line}\n`));
    // Every group pinned, no rules, authoritative: the reader fetches each group's members
    // and confirms them through BulkRetrieve (search may lag behind recent changes).
    const desired: DesiredState = {
      country: DEFAULT_COUNTRY,
      unmanagedGroups: "ignore",
      groups: imported.map((g) => ({
        key: g.key,
        name: g.group.name,
        previously: [],
        id: g.group.id,
        membership: "authoritative",
        match: "one",
        missing: "skip",
        rules: [],
      })),
    };
    progress.quietLine(`Reading the members of ${imported.length} groups...`);
    const live = await readLiveState(connection.client, desired, {
      onProgress: () => progress.update("reading", connection.client.stats().total),
    });
    progress.done();
    const text = stringifyConfig({
      groups: imported.map((g) => ({
        key: g.key,
        name: g.group.name,
        id: g.group.id,
        members: membersOf(g.group.id, live.profiles),
      })),
    });
    const check = parseConfig(text, { file: location.display });
    if (!check.ok) {
      throw new Error(
        `import produced a groups.yaml that does not validate: ${check.problems[0]?.message ?? ""}`,
      );
    }
    await writeFileAtomic(location.path, text, { display: location.display, redact: context.output.redact });
    const members = imported.reduce((n, g) => n + membersOf(g.group.id, live.profiles).length, 0);
    context.output.out(
      `Wrote ${location.display}: ${imported.length} groups, ${members} members. ` +
        '"groupsync plan" now reports no changes.\n',
    );
    return 0;
  } finally {
    progress.done();
    context.output.err(describeCalls(connection));
    await connection.close();
  }
}

const DEFAULT_COUNTRY = "US";

interface ImportedGroup {
  readonly key: string;
  readonly group: SquareCustomerGroup;
}

/**
 * Keys from names (`Summer Conference 2022` -> `summer-conference-2022`), unique. Two live
 * groups with one name cannot both be in groups.yaml (a config error): the older is kept.
 */
function pickGroups(groups: readonly SquareCustomerGroup[], warn: (line: string) => void): ImportedGroup[] {
  const sorted = [...groups].sort(
    (a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? "") || a.id.localeCompare(b.id),
  );
  const names = new Map<string, SquareCustomerGroup>();
  const keys = new Set<string>();
  const result: ImportedGroup[] = [];
  for (const group of sorted) {
    const name = group.name.normalize("NFC").trim().toLowerCase();
    const first = names.get(name);
    if (first !== undefined) {
      warn(
        `two groups are named ${quoteText(group.name)} (${escapeText(first.id)}, ${escapeText(group.id)}); imported only ${escapeText(first.id)}.`,
      );
      continue;
    }
    names.set(name, group);
    const key = suggestGroupKey(group.name, keys);
    keys.add(key);
    result.push({ key, group });
  }
  return result.sort((a, b) => a.key.localeCompare(b.key));
}

type Member = { email: string } | { phone: string } | { customer_id: string };

/**
 * The members of a group as rules: the email (else the phone, else the ID) of each profile.
 * When profiles share an email or phone, the oldest gets it and the others their ID, so that
 * the file describes exactly the members there are. A stored email groups.yaml would refuse
 * (Square keeps what older clients wrote) is passed over for the phone or the ID.
 */
function membersOf(groupId: string, profiles: readonly LiveProfile[]): Member[] {
  const members = profiles
    .filter((p) => p.groupIds.includes(groupId))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const used = new Set<string>();
  const rules: Member[] = [];
  for (const p of members) {
    const email =
      p.emailAddress === undefined || normalizeRuleEmail(p.emailAddress) === undefined
        ? undefined
        : normalizeEmail(p.emailAddress);
    const phone = p.phoneNumber === undefined ? undefined : normalizePhone(p.phoneNumber, DEFAULT_COUNTRY);
    if (email !== undefined && !used.has(`e:${email}`)) {
      used.add(`e:${email}`);
      rules.push({ email });
    } else if (email === undefined && phone !== undefined && !used.has(`p:${phone}`)) {
      used.add(`p:${phone}`);
      rules.push({ phone });
    } else {
      rules.push({ customer_id: p.id });
    }
  }
  return rules;
}
