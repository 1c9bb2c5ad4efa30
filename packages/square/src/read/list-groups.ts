import type { LiveGroup } from "@groupsync/core";
import type { SquareClient } from "../client.js";
import { listGroupPages } from "../groups-api.js";
import { toLiveGroup } from "./to-live.js";

/** Where the list is when `listLiveGroups` hands on a page. */
export interface ListedPage {
  /** Pages read so far. */
  readonly pages: number;
  /** Whether it is the last: the list is complete. */
  readonly last: boolean;
}

/** Stage 1: every group of the account (one ListCustomerGroups pass), `onPage` after each page. */
export async function listLiveGroups(
  client: SquareClient,
  onPage: (groups: readonly LiveGroup[], where: ListedPage) => void,
): Promise<LiveGroup[]> {
  const all: LiveGroup[] = [];
  let pages = 0;
  for await (const { items, last } of listGroupPages(client)) {
    const groups = items.map(toLiveGroup);
    all.push(...groups);
    onPage(groups, { pages: ++pages, last });
  }
  return all;
}
