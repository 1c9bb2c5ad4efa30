import type { LiveProfile } from "@groupsync/core";
import type { SquareClient } from "../client.js";
import { searchCustomerPages, type SplitOptions } from "../search-all.js";
import { toLiveProfile } from "./to-live.js";

/** One page of a group's members, as read. */
interface MemberPage {
  readonly groupId: string;
  readonly profiles: readonly LiveProfile[];
}

/** What `MemberPages` reports: groups done of `total` (groups started, until the list is complete). */
export interface MembersProgress {
  readonly done: number;
  readonly total: number;
  readonly profiles: number;
}

/**
 * Stage 2: the members of each group (one SearchCustomers `group_ids.any` pass per group, long
 * ones split by `created_at`), each group read once however often it is asked for. Pages are
 * kept in the order they arrived: a profile listed by two groups counts as its last read.
 */
export class MemberPages {
  readonly #client: SquareClient;
  readonly #report: (progress: MembersProgress) => void;
  readonly #reads = new Map<string, Promise<LiveProfile[]>>();
  readonly #pages: MemberPage[] = [];
  #profiles = 0;
  #done = 0;
  #total: number | undefined;

  constructor(client: SquareClient, report: (progress: MembersProgress) => void) {
    this.#client = client;
    this.#report = report;
  }

  /** Groups whose read has started. */
  get started(): number {
    return this.#reads.size;
  }

  /** The members of `groupId`, read once (with `split` the first time). */
  read(groupId: string, split: SplitOptions): Promise<LiveProfile[]> {
    let reading = this.#reads.get(groupId);
    if (reading === undefined) {
      reading = this.#page(groupId, split);
      // Awaited by the caller, or by `settleOthers`: never unhandled while the list goes on.
      reading.catch(() => {});
      this.#reads.set(groupId, reading);
    }
    return reading;
  }

  /** The list is complete: `total` groups are read in all. */
  expect(total: number): void {
    this.#total = total;
  }

  /** Counts one group as done (all its pages read). */
  groupDone(): void {
    this.#done++;
    this.#emit();
  }

  /** Waits for the reads of groups not in `groupIds` (started early), so nothing runs on. */
  async settleOthers(groupIds: ReadonlySet<string>): Promise<void> {
    await Promise.allSettled(
      [...this.#reads].flatMap(([id, reading]) => (groupIds.has(id) ? [] : [reading])),
    );
  }

  /** Every profile the groups `groupIds` listed, by ID, each as last read. */
  profilesOf(groupIds: ReadonlySet<string>): Map<string, LiveProfile> {
    const profiles = new Map<string, LiveProfile>();
    for (const page of this.#pages) {
      if (groupIds.has(page.groupId)) for (const p of page.profiles) profiles.set(p.id, p);
    }
    return profiles;
  }

  async #page(groupId: string, split: SplitOptions): Promise<LiveProfile[]> {
    const members: LiveProfile[] = [];
    await searchCustomerPages(
      this.#client,
      { group_ids: { any: [groupId] } },
      (customers) => {
        const profiles = customers.map(toLiveProfile);
        this.#pages.push({ groupId, profiles });
        members.push(...profiles);
        this.#profiles += profiles.length;
        this.#emit();
      },
      split,
    );
    return members;
  }

  #emit(): void {
    this.#report({ done: this.#done, total: this.#total ?? this.#reads.size, profiles: this.#profiles });
  }
}

/**
 * How a group's search is split when `groups` are read together: few groups leave connections
 * idle, so each long one gets ceil(parallelism / groups) ranges (2..16) unless `maxSplits` says.
 */
export function splitFor(
  options: SplitOptions & { readonly parallelism: number },
  groups: number,
): SplitOptions {
  return {
    ...(options.splitPages === undefined ? {} : { splitPages: options.splitPages }),
    maxSplits:
      options.maxSplits ?? Math.min(16, Math.max(2, Math.ceil(options.parallelism / Math.max(1, groups)))),
  };
}
