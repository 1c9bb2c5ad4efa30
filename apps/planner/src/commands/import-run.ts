import { dirname, join, posix } from "node:path";
import {
  escapeText,
  hasUnsafeChars,
  neutralizeCsvCell,
  normalizeEmail,
  normalizePhone,
  quoteText,
  type DesiredState,
  type LiveProfile,
} from "@groupsync/core";
import {
  normalizeRuleEmail,
  parseConfig,
  stringifyConfig,
  stringifyMembersCsv,
  suggestGroupKey,
} from "@groupsync/config";
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
    // Large groups go to a members file beside groups.yaml (DESIGN.md §2), named for the key.
    const lists = new Map<string, string>();
    const groupsToWrite = imported.map((g) => {
      const members = membersOf(g.group.id, live.profiles);
      const base = { key: g.key, name: g.group.name, id: g.group.id };
      if (members.length <= MEMBERS_FILE_OVER) return { ...base, members };
      const file = `${g.key}.csv`;
      lists.set(file, stringifyMembersCsv(members.filter(isPlainCell)));
      return { ...base, members_file: file, members: members.filter((m) => !isPlainCell(m)) };
    });
    const text = stringifyConfig({ groups: groupsToWrite });
    const check = parseConfig(text, {
      file: location.display,
      readMembersFile: (path) => {
        const list = lists.get(path);
        return list === undefined
          ? { ok: false, reason: "not_found" }
          : { ok: true, bytes: Buffer.from(list) };
      },
    });
    if (!check.ok) {
      throw new Error(
        `import produced a groups.yaml that does not validate: ${check.problems[0]?.message ?? ""}`,
      );
    }
    const dir = dirname(location.path);
    if (booleanOption(context, "force") !== true) {
      for (const file of lists.keys()) {
        if (await pathExists(join(dir, file))) {
          throw new CliError(
            "GS_CLI_FILE_EXISTS",
            `${file} already exists beside ${location.display}; import does not overwrite it.`,
            {
              hint: "Pass --force to replace it, or --file to write somewhere else.",
            },
          );
        }
      }
    }
    // The members files first, each atomically (a new one 0600, as groups.yaml: they hold
    // personal data): groups.yaml never names a file that is not there.
    for (const [file, list] of lists) {
      await writeFileAtomic(join(dir, file), list, {
        display: posix.join(posix.dirname(location.display.replace(/\\/g, "/")), file),
        redact: context.output.redact,
      });
    }
    await writeFileAtomic(location.path, text, { display: location.display, redact: context.output.redact });
    const members = groupsToWrite.reduce((n, g) => n + membersOf(g.id, live.profiles).length, 0);
    const files =
      lists.size === 0
        ? ""
        : ` and ${lists.size} members ${lists.size === 1 ? "file" : "files"} (${[...lists.keys()].join(", ")})`;
    context.output.out(
      `Wrote ${location.display}${files}: ${imported.length} groups, ${members} members. ` +
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
/** Groups of more members than this are written to a members file (DESIGN.md §2: "over 500"). */
const MEMBERS_FILE_OVER = 500;

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
 * Whether a rule's value can go to a members file as it is. CSV has no escape: a value a
 * spreadsheet would run as a formula (`=`, `-`, `@`... in front; core's CSV rule) or holding a
 * control character stays in groups.yaml, whose YAML keeps it exact, so that the members file
 * both reads back as the same rules and opens safely in a spreadsheet.
 */
function isPlainCell(member: Member): boolean {
  const value = Object.values(member)[0] as string;
  return !hasUnsafeChars(value) && neutralizeCsvCell(value) === value;
}

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
