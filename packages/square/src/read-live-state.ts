import {
  candidateProfileIds,
  diff,
  normalizePhone,
  rulesNeedingLookup,
  type DesiredState,
  type LiveGroup,
  type LiveProfile,
  type LiveState,
  type Rule,
} from "@groupsync/core";
import type { SquareClient } from "./client.js";
import { bulkRetrieveCustomers } from "./customers-api.js";
import { listGroups } from "./groups-api.js";
import { runPool } from "./run-pool.js";
import { pagesFor, searchAllCustomers, type SplitOptions } from "./search-all.js";
import type { SquareCustomer, SquareCustomerFilter, SquareCustomerGroup } from "./square-types.js";

/** Look-ups started at once; the client's adaptive limit decides how many are on the wire. */
const LOOKUPS_IN_FLIGHT = 128;

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
 * Reads what `diff` needs of the account, at the floor of DESIGN.md §7:
 * 1. one ListCustomerGroups pass;
 * 2. one SearchCustomers `group_ids.any` pass per managed live group (groups in parallel, long
 *    ones split by `created_at`);
 * 3. look-ups only for the rules `rulesNeedingLookup` names (exact email, exact phone, fuzzy
 *    domain then filtered, BulkRetrieve for IDs), or one full scan when that is cheaper;
 * 4. verification: BulkRetrieveCustomers of the preliminary plan's add/remove candidates and
 *    of `knownProfileIds`, whose `group_ids` replace what search said.
 * Any read that fails after the client's retries rejects the whole read: a missing page must
 * never turn into removals (DESIGN.md §6).
 */
export async function readLiveState(
  client: SquareClient,
  desired: DesiredState,
  options: ReadLiveStateOptions = {},
): Promise<LiveState> {
  const progress = options.onProgress ?? (() => {});

  // 1. groups
  const groups: LiveGroup[] = [];
  let groupPages = 0;
  for await (const group of listGroups(client, {
    onPage: () => progress({ phase: "groups", done: ++groupPages }),
  })) {
    groups.push(toLiveGroup(group));
  }

  // 2. members of the managed groups that exist
  const resolved = diff(desired, { groups, profiles: [] }).groups;
  const groupIds = [...new Set(resolved.flatMap((g) => (g.groupId === undefined ? [] : [g.groupId])))];
  // Few groups leave connections idle: split each long one into enough ranges to fill them.
  const split: SplitOptions = {
    ...(options.splitPages === undefined ? {} : { splitPages: options.splitPages }),
    maxSplits:
      options.maxSplits ??
      Math.min(16, Math.max(2, Math.ceil((options.parallelism ?? 32) / Math.max(1, groupIds.length)))),
  };
  const profiles = new Map<string, LiveProfile>();
  let groupsDone = 0;
  let membersSeen = 0;
  const onPage = (items: number) => {
    membersSeen += items;
    progress({ phase: "members", done: groupsDone, total: groupIds.length, profiles: membersSeen });
  };
  await Promise.all(
    groupIds.map(async (groupId) => {
      const members = await searchAllCustomers(
        client,
        { group_ids: { any: [groupId] } },
        { ...split, onPage },
      );
      for (const member of members) profiles.set(member.id, toLiveProfile(member));
      groupsDone++;
      onPage(0);
    }),
  );

  // 3. look-ups for rules no current member satisfies
  const needed = rulesNeedingLookup(desired, { groups, profiles: [...profiles.values()] });
  for (const customer of await lookUp(
    client,
    desired,
    needed.map((n) => n.rule),
    options,
    progress,
    split,
  )) {
    if (!profiles.has(customer.id)) profiles.set(customer.id, toLiveProfile(customer));
  }

  // 4. verification against BulkRetrieve (current, unlike search)
  const verified = new Set<string>();
  let toVerify = new Set(options.knownProfileIds ?? []);
  for (let round = 0; round < 3; round++) {
    const plan = diff(desired, { groups, profiles: [...profiles.values()] });
    for (const id of candidateProfileIds(plan)) if (!verified.has(id)) toVerify.add(id);
    if (toVerify.size === 0) break;
    const ids = [...toVerify];
    let done = 0;
    const truth = await bulkRetrieveCustomers(client, ids, {
      onBatch: (n) => progress({ phase: "verify", done: (done += n), total: ids.length }),
    });
    for (const id of ids) {
      verified.add(id);
      const customer = truth.get(id);
      if (customer === undefined) profiles.delete(id);
      else profiles.set(id, toLiveProfile(customer));
    }
    toVerify = new Set();
  }

  return {
    groups,
    profiles: [...profiles.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/** Finds the profiles matching `rules`, by look-ups or by one scan, whichever costs fewer calls. */
async function lookUp(
  client: SquareClient,
  desired: DesiredState,
  rules: readonly Rule[],
  options: ReadLiveStateOptions,
  progress: (event: ReadProgressEvent) => void,
  split: SplitOptions,
): Promise<SquareCustomer[]> {
  const unique = new Map<string, Rule>();
  for (const rule of rules) unique.set(`${rule.kind}:${rule.value}`, rule);
  if (unique.size === 0) return [];
  const searches = [...unique.values()].filter((r) => r.kind !== "customer_id");
  const ids = [...unique.values()].filter((r) => r.kind === "customer_id").map((r) => r.value);
  const lookupCalls = searches.length + Math.ceil(ids.length / 100);

  if (lookupCalls >= (options.scanProbeAt ?? 20)) {
    const probe = await client.send<{ count?: number }>({
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: 1, count: true },
    });
    if (probe.count !== undefined && pagesFor(probe.count) < lookupCalls) {
      // One long search: as many ranges as the connections allow.
      const scanSplit = { ...split, maxSplits: options.maxSplits ?? 16 };
      return scan(client, desired, [...unique.values()], probe.count, progress, scanSplit);
    }
  }

  const total = searches.length + (ids.length > 0 ? 1 : 0);
  let done = 0;
  const tick = () => progress({ phase: "lookups", done: ++done, total });
  const found: SquareCustomer[] = [];
  await Promise.all([
    runPool(searches, LOOKUPS_IN_FLIGHT, async (rule) => {
      const matches = await searchAllCustomers(client, lookupFilter(rule), split);
      found.push(...matches.filter((c) => matchesRule(c, rule)));
      tick();
    }),
    (async () => {
      if (ids.length === 0) return;
      found.push(...(await bulkRetrieveCustomers(client, ids)).values());
      tick();
    })(),
  ]);
  return found;
}

/** Every profile of the account, kept only when one of `rules` matches it. */
async function scan(
  client: SquareClient,
  desired: DesiredState,
  rules: readonly Rule[],
  count: number,
  progress: (event: ReadProgressEvent) => void,
  split: SplitOptions,
): Promise<SquareCustomer[]> {
  const total = pagesFor(count);
  let done = 0;
  const all = await searchAllCustomers(client, undefined, {
    ...split,
    onPage: () => progress({ phase: "scan", done: ++done, total }),
  });
  const index = new RuleIndex(rules);
  const found = all.filter((customer) => index.matches(customer, desired.country));
  // Profiles without a name, email or phone are not listed by List/Search: ask for them by ID.
  const seen = new Set(found.map((c) => c.id));
  const missingIds = rules.filter((r) => r.kind === "customer_id" && !seen.has(r.value)).map((r) => r.value);
  if (missingIds.length > 0) found.push(...(await bulkRetrieveCustomers(client, missingIds)).values());
  return found;
}

function lookupFilter(rule: Rule): SquareCustomerFilter {
  switch (rule.kind) {
    case "email":
      return { email_address: { exact: rule.value } };
    case "phone":
      return { phone_number: { exact: rule.value } };
    default:
      // Fuzzy is token-wise ("example org" tokens); the results are filtered on the domain.
      return { email_address: { fuzzy: rule.value } };
  }
}

function matchesRule(customer: SquareCustomer, rule: Rule): boolean {
  switch (rule.kind) {
    case "email":
    case "phone":
      // Square compared these exactly (case-insensitive, E.164); core matches them again.
      return true;
    case "email_domain":
      return emailOf(customer)?.endsWith(`@${rule.value}`) ?? false;
    case "customer_id":
      return customer.id === rule.value;
  }
}

class RuleIndex {
  readonly #emails = new Set<string>();
  readonly #phones = new Set<string>();
  readonly #domains = new Set<string>();
  readonly #ids = new Set<string>();
  constructor(rules: readonly Rule[]) {
    for (const rule of rules) {
      const set = {
        email: this.#emails,
        phone: this.#phones,
        email_domain: this.#domains,
        customer_id: this.#ids,
      }[rule.kind];
      set.add(rule.value);
    }
  }
  matches(customer: SquareCustomer, country: string): boolean {
    if (this.#ids.has(customer.id)) return true;
    const email = emailOf(customer);
    if (
      email !== undefined &&
      (this.#emails.has(email) || this.#domains.has(email.slice(email.lastIndexOf("@") + 1)))
    ) {
      return true;
    }
    if (this.#phones.size === 0) return false;
    const phone = phoneOf(customer, country);
    return phone !== undefined && this.#phones.has(phone);
  }
}

/** Lenient (no validation): a stored address core would match must not be filtered out here. */
function emailOf(customer: SquareCustomer): string | undefined {
  return typeof customer.email_address === "string"
    ? customer.email_address.normalize("NFC").trim().toLowerCase()
    : undefined;
}

function phoneOf(customer: SquareCustomer, country: string): string | undefined {
  return typeof customer.phone_number === "string"
    ? normalizePhone(customer.phone_number, country)
    : undefined;
}

function toLiveGroup(group: SquareCustomerGroup): LiveGroup {
  return {
    id: group.id,
    name: group.name,
    ...(group.created_at === undefined ? {} : { createdAt: group.created_at }),
    ...(group.updated_at === undefined ? {} : { updatedAt: group.updated_at }),
  };
}

/** Square's profile as core's LiveProfile (fields it does not use are dropped). */
export function toLiveProfile(customer: SquareCustomer): LiveProfile {
  return {
    id: customer.id,
    createdAt: customer.created_at ?? "",
    ...(typeof customer.email_address === "string" ? { emailAddress: customer.email_address } : {}),
    ...(typeof customer.phone_number === "string" ? { phoneNumber: customer.phone_number } : {}),
    ...(typeof customer.given_name === "string" ? { givenName: customer.given_name } : {}),
    ...(typeof customer.family_name === "string" ? { familyName: customer.family_name } : {}),
    groupIds: [...(customer.group_ids ?? [])],
    ...(typeof customer.version === "number" ? { version: customer.version } : {}),
  };
}
