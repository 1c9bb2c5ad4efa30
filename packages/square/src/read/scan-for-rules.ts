import type { DesiredState, Rule } from "@groupsync/core";
import type { SquareClient } from "../client.js";
import { bulkRetrieveCustomers } from "../customers-api.js";
import { pagesFor, searchAllCustomers, type SplitOptions } from "../search-all.js";
import type { SquareCustomer } from "../square-types.js";
import { RuleSet } from "./match-customer.js";

/**
 * Every profile of the account (`count` of them), kept only when one of `rules` matches it: the
 * look-ups' alternative when it takes fewer calls. `onPage(done, total)` after each page.
 */
export async function scanForRules(
  client: SquareClient,
  desired: DesiredState,
  rules: readonly Rule[],
  count: number,
  split: SplitOptions,
  onPage: (done: number, total: number) => void,
): Promise<SquareCustomer[]> {
  const total = pagesFor(count);
  let done = 0;
  const all = await searchAllCustomers(client, undefined, { ...split, onPage: () => onPage(++done, total) });
  const wanted = new RuleSet(rules, desired.country);
  const found = all.filter((customer) => wanted.matches(customer));
  // Profiles without a name, email or phone are not listed by List/Search: ask for them by ID.
  const seen = new Set(found.map((c) => c.id));
  const missingIds = rules.filter((r) => r.kind === "customer_id" && !seen.has(r.value)).map((r) => r.value);
  if (missingIds.length > 0) found.push(...(await bulkRetrieveCustomers(client, missingIds)).values());
  return found;
}
