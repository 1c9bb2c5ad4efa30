import {
  groupNameKey,
  resolveGroupIds,
  rulesNeedingLookup,
  type DesiredGroup,
  type DesiredState,
  type LiveGroup,
  type LiveProfile,
  type LiveState,
  type Plan,
} from "@groupsync/core";
import type { SquareClient } from "../client.js";
import type { SplitOptions } from "../search-all.js";
import { countDeletedGroupMembers } from "./count-group-members.js";
import { listLiveGroups } from "./list-groups.js";
import { RuleLookups } from "./look-up-rules.js";
import { MemberPages, splitFor } from "./page-members.js";
import { toLiveProfile } from "./to-live.js";
import { verifyCandidates } from "./verify-candidates.js";

/** Where a read is; `done`/`total` count calls or items of the phase. */
export type ReadProgressEvent =
  | { readonly phase: "groups"; readonly done: number }
  /** `done` of `total` groups read; `profiles`: members listed so far (a profile in two groups counts twice). */
  | { readonly phase: "members"; readonly done: number; readonly total: number; readonly profiles: number }
  | { readonly phase: "lookups"; readonly done: number; readonly total: number }
  | { readonly phase: "scan"; readonly done: number; readonly total: number }
  | { readonly phase: "verify"; readonly done: number; readonly total: number };

/** Options of `readLiveState`. */
export interface ReadLiveStateOptions extends SplitOptions {
  /** Called as the read goes on (pages, look-ups, verified profiles). */
  readonly onProgress?: (event: ReadProgressEvent) => void;
  /**
   * Profiles to retrieve whatever search says: those the last apply created (search may not
   * list them yet, DESIGN.md §1), so that a plan right after an apply does not create them again.
   */
  readonly knownProfileIds?: readonly string[];
  /**
   * Requests the reader tries to keep in flight when few long groups are read: a group's
   * ranges are at most ceil(parallelism / groups) (2..16) unless `maxSplits` says [32].
   */
  readonly parallelism?: number;
  /**
   * Look-ups at or above which the reader asks for the account's size (one call) to choose
   * between look-ups and a full scan [20].
   */
  readonly scanProbeAt?: number;
}

/**
 * Reads what `diff` needs of the account, at the floor of DESIGN.md §7 (see `readAndPlan`).
 * Any read that fails after the client's retries rejects the whole read: a missing page must
 * never turn into removals (DESIGN.md §6).
 */
export async function readLiveState(
  client: SquareClient,
  desired: DesiredState,
  options: ReadLiveStateOptions = {},
): Promise<LiveState> {
  return (await readAndPlan(client, desired, options)).live;
}

/**
 * `readLiveState`, and the plan of what it read (`diff(desired, live)`, default options), which
 * verification makes anyway. The stages, pipelined group by group:
 * 1. `listLiveGroups`: one ListCustomerGroups pass; groups the file surely manages start
 *    paging while the list goes on;
 * 2. `MemberPages`: one SearchCustomers `group_ids.any` pass per managed group, in parallel,
 *    and `countDeletedGroupMembers`: one `count` search per group `unmanaged_groups: delete`
 *    removes (its true member count, for the plan and the guards);
 * 3. `RuleLookups`: as each group is read, the rules its members leave unsatisfied, looked up
 *    (or one scan of the account when cheaper);
 * 4. `verifyCandidates`: the plan's add/remove candidates checked with BulkRetrieve.
 */
export async function readAndPlan(
  client: SquareClient,
  desired: DesiredState,
  options: ReadLiveStateOptions = {},
): Promise<{ live: LiveState; plan: Plan }> {
  const progress = options.onProgress ?? (() => {});
  const parallelism = options.parallelism ?? 32;
  const members = new MemberPages(client, (p) => progress({ phase: "members", ...p }));
  const startEarly = earlyReads(desired, members, { ...options, parallelism });
  const groups = await listLiveGroups(client, (page, { pages, last }) => {
    progress({ phase: "groups", done: pages });
    if (!last) startEarly(page); // after the last one, every group starts below
  });

  const resolved = resolveGroupIds(desired, groups);
  const managed = new Set(resolved.flatMap((id) => (id === undefined ? [] : [id])));
  members.expect(managed.size);
  // The groups a plan would delete are not paged: Square counts their members meanwhile.
  const deletionCounts = countDeletedGroupMembers(client, desired, groups, managed);
  deletionCounts.catch(() => {}); // awaited below, or abandoned with the read
  const split = splitFor({ ...options, parallelism }, managed.size);
  const lookups = new RuleLookups(client, desired, {
    split,
    ...(options.maxSplits === undefined ? {} : { maxSplits: options.maxSplits }),
    ...(options.scanProbeAt === undefined ? {} : { scanProbeAt: options.scanProbeAt }),
    onLookup: (done, total) => progress({ phase: "lookups", done, total }),
    onScanPage: (done, total) => progress({ phase: "scan", done, total }),
  });
  // An entry with no live group (to be created, or not matched safely): every rule is looked up.
  for (const [i, entry] of desired.groups.entries()) if (resolved[i] === undefined) lookups.add(entry.rules);
  await readGroupsAndLookUp(desired, groups, resolved, { members, lookups, split });
  const profiles = members.profilesOf(managed);
  for (const customer of await lookups.finish()) {
    if (!profiles.has(customer.id)) profiles.set(customer.id, toLiveProfile(customer));
  }

  const known = options.knownProfileIds ?? [];
  const diffOptions = { memberCounts: await deletionCounts };
  const plan = await verifyCandidates(
    client,
    desired,
    groups,
    profiles,
    known,
    (done, total) => progress({ phase: "verify", done, total }),
    diffOptions,
  );
  return { live: liveState(groups, [...profiles.values()]), plan };
}

/**
 * Starts reading the groups the file surely manages as their list page arrives, once there are
 * enough of them (parallelism / 2) that their split cannot depend on how many more come: 2
 * ranges at most either way.
 */
function earlyReads(
  desired: DesiredState,
  members: MemberPages,
  options: SplitOptions & { readonly parallelism: number },
): (page: readonly LiveGroup[]) => void {
  const surelyManaged = surelyManagedBy(desired);
  const enough = options.maxSplits !== undefined ? 1 : Math.ceil(options.parallelism / 2);
  const split = splitFor(options, Number.MAX_SAFE_INTEGER);
  const waiting: string[] = [];
  return (page) => {
    waiting.push(...page.filter(surelyManaged).map((g) => g.id));
    if (members.started + waiting.length < enough) return;
    for (const id of waiting.splice(0)) void members.read(id, split);
  };
}

/**
 * Reads every managed group (those started early go on) and, as each one is done, hands the
 * rules its members leave unsatisfied to the look-ups. Only a group's own members can satisfy
 * its rules (core's property test: group by group, they are the look-ups of the whole account).
 */
async function readGroupsAndLookUp(
  desired: DesiredState,
  groups: readonly LiveGroup[],
  resolved: ReadonlyArray<string | undefined>,
  stages: { readonly members: MemberPages; readonly lookups: RuleLookups; readonly split: SplitOptions },
): Promise<void> {
  const { members, lookups, split } = stages;
  const entriesOf = claimingEntries(desired, resolved);
  const byId = new Map(groups.map((g) => [g.id, g]));
  const managed = [...entriesOf.keys()].map((id) => byId.get(id) as LiveGroup);
  try {
    await Promise.all(
      managed.map(async (group) => {
        const own = await members.read(group.id, split);
        members.groupDone();
        const entries = { ...desired, groups: entriesOf.get(group.id) ?? [] };
        lookups.add(rulesNeedingLookup(entries, { groups: [group], profiles: own }).map((n) => n.rule));
      }),
    );
  } catch (error) {
    lookups.abandon();
    throw error;
  } finally {
    // Early reads of groups that turned out unmanaged: nothing runs on after the read.
    await members.settleOthers(new Set(managed.map((g) => g.id)));
  }
}

/** Whether the file manages a live group whatever the rest of the list holds. */
function surelyManagedBy(desired: DesiredState): (group: LiveGroup) => boolean {
  const pinned = new Set(desired.groups.flatMap((g) => (g.id === undefined ? [] : [g.id])));
  // A pinned entry's name says nothing: another live group may carry it.
  const names = new Set(desired.groups.flatMap((g) => (g.id === undefined ? [groupNameKey(g.name)] : [])));
  return (group) => pinned.has(group.id) || names.has(groupNameKey(group.name));
}

/** The entries of groups.yaml by the live group they resolve to. */
function claimingEntries(
  desired: DesiredState,
  resolved: ReadonlyArray<string | undefined>,
): Map<string, DesiredGroup[]> {
  const entries = new Map<string, DesiredGroup[]>();
  for (const [i, entry] of desired.groups.entries()) {
    const id = resolved[i];
    if (id === undefined) continue;
    const list = entries.get(id);
    if (list === undefined) entries.set(id, [entry]);
    else list.push(entry);
  }
  return entries;
}

/**
 * The state read, its profiles sorted by ID when first asked for: `diff` does not depend on
 * their order, and a caller that only wants the plan does not pay for sorting them.
 */
function liveState(groups: readonly LiveGroup[], profiles: LiveProfile[]): LiveState {
  let sorted: LiveProfile[] | undefined;
  return {
    groups,
    get profiles() {
      return (sorted ??= profiles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    },
  };
}
