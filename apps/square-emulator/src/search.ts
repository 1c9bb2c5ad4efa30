import { badRequest } from "./api-error.js";
import { decodeCursor, encodeCursor, hashQuery, type CursorPosition } from "./cursor.js";
import { recordsWithKey } from "./key-index.js";
import {
  emailKey,
  emailTokens,
  fuzzyEmailMatches,
  fuzzyPhoneMatches,
  phoneTokens,
  toE164,
} from "./normalize.js";
import { compareOrdered, firstAfter, firstAtOrAfter, lowerBound, upperBound } from "./sorted-records.js";
import type { CustomerRecord, Store } from "./store.js";
import type { SquareCustomer } from "./types.js";
import {
  checkLimit,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringArray,
  type JsonObject,
} from "./validate.js";

/** Max IDs in a `group_ids` filter list (undocumented by Square; the emulator chooses 100). */
export const MAX_FILTER_IDS = 100;

const CREATION_SOURCES = new Set([
  "OTHER",
  "APPOINTMENTS",
  "COUPON",
  "DELETION_RECOVERY",
  "DIRECTORY",
  "EGIFTING",
  "EMAIL_COLLECTION",
  "FEEDBACK",
  "IMPORT",
  "INVOICES",
  "LOYALTY",
  "MARKETING",
  "MERGE",
  "ONLINE_STORE",
  "INSTANT_PROFILE",
  "TERMINAL",
  "THIRD_PARTY",
  "THIRD_PARTY_IMPORT",
  "UNMERGE_RECOVERY",
]);

type TextFilter = { exact: string } | { fuzzy: string[] };

/** A validated SearchCustomers / ListCustomers query. */
export interface CustomerQuery {
  email?: TextFilter;
  phone?: TextFilter;
  reference?: TextFilter;
  groupsAny?: string[];
  groupsAll?: string[];
  groupsNone?: string[];
  segmentsAny?: string[];
  segmentsAll?: string[];
  createdFrom?: number;
  createdTo?: number;
  updatedFrom?: number;
  updatedTo?: number;
  sources?: { values: string[]; exclude: boolean };
  sortField: "DEFAULT" | "CREATED_AT";
  sortOrder: "ASC" | "DESC";
}

/** A validated page request. */
export interface PageRequest {
  query: CustomerQuery;
  /** Namespace of cursors ("search" or "list"): a cursor works only for the query that made it. */
  kind: string;
  limit: number;
  cursor: string | undefined;
  count: boolean;
}

/** Validates a SearchCustomers body. */
export function parseSearchRequest(body: JsonObject): PageRequest {
  const limit = optionalInteger(body["limit"], "limit");
  const cursor = optionalString(body["cursor"], "cursor");
  const count = optionalBoolean(body["count"], "count") ?? false;
  const query = optionalObject(body["query"], "query");
  const filter = optionalObject(query?.["filter"], "query.filter");
  const sort = optionalObject(query?.["sort"], "query.sort");
  const parsed: CustomerQuery = {
    sortField: parseEnum(sort?.["field"], ["DEFAULT", "CREATED_AT"], "query.sort.field") ?? "DEFAULT",
    sortOrder: parseEnum(sort?.["order"], ["ASC", "DESC"], "query.sort.order") ?? "ASC",
  };
  if (filter) parseFilter(filter, parsed);
  return { query: parsed, kind: "search", limit: checkLimit(limit ?? 100, 100), cursor, count };
}

function parseEnum<T extends string>(v: unknown, values: readonly T[], field: string): T | undefined {
  const s = optionalString(v, field);
  if (s === undefined) return undefined;
  if (!(values as readonly string[]).includes(s)) {
    throw badRequest("INVALID_ENUM_VALUE", `\`${field}\` must be one of ${values.join(", ")}.`, field);
  }
  return s as T;
}

function parseText(v: unknown, field: string, kind: "email" | "phone" | "plain"): TextFilter | undefined {
  const obj = optionalObject(v, field);
  if (!obj) return undefined;
  const exact = optionalString(obj["exact"], `${field}.exact`);
  const fuzzy = optionalString(obj["fuzzy"], `${field}.fuzzy`);
  if (exact !== undefined && fuzzy !== undefined) {
    throw badRequest("INVALID_VALUE", `\`${field}\` can be exact or fuzzy, not both.`, field);
  }
  if (exact !== undefined) {
    if (kind === "email") return { exact: emailKey(exact) };
    if (kind === "phone") {
      // Square needs an E.164 query for exact phone search ("+1 (206) 222-3333" is also accepted).
      const e164 = exact.trim().startsWith("+") ? toE164(exact) : undefined;
      if (e164 === undefined) {
        throw badRequest(
          "INVALID_PHONE_NUMBER",
          "`phone_number.exact` must be an E.164 phone number such as +12062223333.",
          `${field}.exact`,
        );
      }
      return { exact: e164 };
    }
    return { exact };
  }
  if (fuzzy !== undefined) {
    const tokens = kind === "phone" ? phoneTokens(fuzzy) : kind === "email" ? emailTokens(fuzzy) : [fuzzy];
    return { fuzzy: tokens };
  }
  throw badRequest("MISSING_REQUIRED_PARAMETER", `\`${field}\` needs \`exact\` or \`fuzzy\`.`, field);
}

function parseTime(v: unknown, field: string): number | undefined {
  const s = optionalString(v, field);
  if (s === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) ? Date.parse(s) : Number.NaN;
  if (!Number.isFinite(ms)) throw badRequest("INVALID_TIME", `\`${field}\` is not an RFC 3339 time.`, field);
  return ms;
}

function parseRange(v: unknown, field: string): [number | undefined, number | undefined] {
  const obj = optionalObject(v, field);
  if (!obj) return [undefined, undefined];
  const from = parseTime(obj["start_at"], `${field}.start_at`);
  const to = parseTime(obj["end_at"], `${field}.end_at`);
  if (from !== undefined && to !== undefined && from > to) {
    throw badRequest("INVALID_TIME_RANGE", `\`${field}.start_at\` is after \`end_at\`.`, field);
  }
  return [from, to];
}

function parseFilter(filter: JsonObject, q: CustomerQuery): void {
  const email = parseText(filter["email_address"], "query.filter.email_address", "email");
  if (email) q.email = email;
  const phone = parseText(filter["phone_number"], "query.filter.phone_number", "phone");
  if (phone) q.phone = phone;
  const reference = parseText(filter["reference_id"], "query.filter.reference_id", "plain");
  if (reference) q.reference = reference;
  const groups = optionalObject(filter["group_ids"], "query.filter.group_ids");
  if (groups) {
    const any = optionalStringArray(groups["any"], "query.filter.group_ids.any", MAX_FILTER_IDS);
    const all = optionalStringArray(groups["all"], "query.filter.group_ids.all", MAX_FILTER_IDS);
    const none = optionalStringArray(groups["none"], "query.filter.group_ids.none", MAX_FILTER_IDS);
    if (any) q.groupsAny = any;
    if (all) q.groupsAll = all;
    if (none) q.groupsNone = none;
  }
  const segments = optionalObject(filter["segment_ids"], "query.filter.segment_ids");
  if (segments) {
    const any = optionalStringArray(segments["any"], "query.filter.segment_ids.any", 3);
    const all = optionalStringArray(segments["all"], "query.filter.segment_ids.all", 3);
    optionalStringArray(segments["none"], "query.filter.segment_ids.none", 3);
    if (any && any.length > 0) q.segmentsAny = any;
    if (all && all.length > 0) q.segmentsAll = all;
  }
  const [createdFrom, createdTo] = parseRange(filter["created_at"], "query.filter.created_at");
  if (createdFrom !== undefined) q.createdFrom = createdFrom;
  if (createdTo !== undefined) q.createdTo = createdTo;
  const [updatedFrom, updatedTo] = parseRange(filter["updated_at"], "query.filter.updated_at");
  if (updatedFrom !== undefined) q.updatedFrom = updatedFrom;
  if (updatedTo !== undefined) q.updatedTo = updatedTo;
  const source = optionalObject(filter["creation_source"], "query.filter.creation_source");
  if (source) {
    const values = optionalStringArray(source["values"], "query.filter.creation_source.values", 100) ?? [];
    values.forEach((v, i) => {
      if (!CREATION_SOURCES.has(v)) {
        const field = `query.filter.creation_source.values[${i}]`;
        throw badRequest("INVALID_ENUM_VALUE", `\`${v}\` is not a creation source.`, field);
      }
    });
    const rule = parseEnum(source["rule"], ["INCLUDE", "EXCLUDE"], "query.filter.creation_source.rule");
    q.sources = { values, exclude: rule === "EXCLUDE" };
  }
  if (filter["custom_attribute"] !== undefined && filter["custom_attribute"] !== null) {
    throw badRequest(
      "BAD_REQUEST",
      "The emulator does not support custom attribute filters.",
      "query.filter.custom_attribute",
    );
  }
}

// ---- execution --------------------------------------------------------------------------------

// Every check below that can fail is listed by `narrowings`: keep the two in step.
function matches(record: CustomerRecord, q: CustomerQuery): boolean {
  const c = record.visible as SquareCustomer;
  if (!record.indexed) return false;
  if (q.email) {
    if (c.email_address === undefined) return false;
    if (
      "exact" in q.email
        ? record.indexedEmail !== q.email.exact
        : !fuzzyEmailMatches(q.email.fuzzy, c.email_address)
    ) {
      return false;
    }
  }
  if (q.phone) {
    if (c.phone_number === undefined) return false;
    if (
      "exact" in q.phone
        ? record.indexedPhone !== q.phone.exact
        : !fuzzyPhoneMatches(q.phone.fuzzy, c.phone_number)
    ) {
      return false;
    }
  }
  if (q.reference) {
    const ref = c.reference_id;
    if (ref === undefined) return false;
    if (
      "exact" in q.reference ? ref !== q.reference.exact : !q.reference.fuzzy.every((t) => ref.includes(t))
    ) {
      return false;
    }
  }
  const groups = record.indexedGroups;
  if (q.groupsAny && q.groupsAny.length > 0 && !q.groupsAny.some((g) => groups.includes(g))) return false;
  if (q.groupsAll && !q.groupsAll.every((g) => groups.includes(g))) return false;
  if (q.groupsNone && q.groupsNone.some((g) => groups.includes(g))) return false;
  // The emulator computes no segments: a profile is in none.
  if (q.segmentsAny || q.segmentsAll) return false;
  if (q.createdFrom !== undefined && record.createdMs < q.createdFrom) return false;
  if (q.createdTo !== undefined && record.createdMs > q.createdTo) return false;
  if (q.updatedFrom !== undefined || q.updatedTo !== undefined) {
    const updated = Date.parse(c.updated_at);
    if (q.updatedFrom !== undefined && updated < q.updatedFrom) return false;
    if (q.updatedTo !== undefined && updated > q.updatedTo) return false;
  }
  if (q.sources && q.sources.values.length > 0) {
    const hit = q.sources.values.includes(c.creation_source ?? "");
    if (hit === q.sources.exclude) return false;
  }
  return true;
}

/** A filter that can turn a profile down (the `created_at` range aside: it is a slice). */
type Narrowing =
  | "email"
  | "phone"
  | "reference"
  | "groupsAny"
  | "groupsAll"
  | "groupsNone"
  | "segments"
  | "updated"
  | "sources";

/** The filters of `q` that `matches` checks and that can fail (empty lists cannot). */
function narrowings(q: CustomerQuery): Narrowing[] {
  const out: Narrowing[] = [];
  if (q.email) out.push("email");
  if (q.phone) out.push("phone");
  if (q.reference) out.push("reference");
  if (q.groupsAny && q.groupsAny.length > 0) out.push("groupsAny");
  if (q.groupsAll && q.groupsAll.length > 0) out.push("groupsAll");
  if (q.groupsNone && q.groupsNone.length > 0) out.push("groupsNone");
  if (q.segmentsAny || q.segmentsAll) out.push("segments");
  if (q.updatedFrom !== undefined || q.updatedTo !== undefined) out.push("updated");
  if (q.sources && q.sources.values.length > 0) out.push("sources");
  return out;
}

/** An ordered index list that holds every match, and the filter that every entry of it passes. */
interface Candidates {
  list: readonly CustomerRecord[];
  implied: Narrowing | undefined;
}

/** The smallest ordered index list that holds every match. */
function candidates(store: Store, q: CustomerQuery, cache: SortCache): Candidates {
  const lists: Candidates[] = [];
  if (q.email && "exact" in q.email) {
    lists.push({ list: recordsWithKey(store.visibleByEmail, q.email.exact), implied: "email" });
  }
  if (q.phone && "exact" in q.phone) {
    lists.push({ list: recordsWithKey(store.visibleByPhone, q.phone.exact), implied: "phone" });
  }
  for (const g of q.groupsAll ?? []) {
    const implied = q.groupsAll?.length === 1 ? "groupsAll" : undefined;
    lists.push({ list: store.visibleByGroup.get(g) ?? [], implied });
  }
  if (q.groupsAny && q.groupsAny.length > 0) {
    const list =
      q.groupsAny.length === 1
        ? (store.visibleByGroup.get(q.groupsAny[0] as string) ?? [])
        : cache.union(store, q.groupsAny);
    lists.push({ list, implied: "groupsAny" });
  }
  let best: Candidates = { list: store.visibleAll, implied: undefined };
  for (const entry of lists) if (entry.list.length < best.list.length) best = entry;
  return best;
}

/**
 * Whether every profile of `candidates` within the created_at range matches `q`: when the
 * query has no filter but the one its index list was picked for (a group's members, an exact
 * email), as groupsync's searches do, pages and counts need no per-profile check.
 */
function allMatch(q: CustomerQuery, { implied }: Candidates): boolean {
  const filters = narrowings(q);
  return filters.length === 0 || (filters.length === 1 && filters[0] === implied);
}

/**
 * Makes the lower-cased DEFAULT sort key (name, company, email, phone) of what search sees of
 * `record`, in fields of the record, unless they hold that object's already (objects are never
 * changed in place), so a change of search state does not make every key again. Fields, not an
 * array per profile: on 1,000,000 profiles, two million objects and 80 MB fewer, and sorting
 * the matches of a query makes no entry per match.
 */
function withDefaultKey(record: CustomerRecord): CustomerRecord {
  const c = record.visible as SquareCustomer;
  if (record.keyOf !== c) {
    record.keyName = `${c.given_name ?? ""} ${c.family_name ?? ""}`.trim().toLowerCase();
    record.keyCompany = (c.company_name ?? "").toLowerCase();
    record.keyEmail = (c.email_address ?? "").toLowerCase();
    record.keyPhone = c.phone_number ?? "";
    record.keyOf = c;
  }
  return record;
}

/** The DEFAULT sort key of a record whose key is made, as a cursor holds it. */
function keyOf(record: CustomerRecord): string[] {
  return [record.keyName, record.keyCompany, record.keyEmail, record.keyPhone];
}

// Empty values sort after every non-empty one (blank names at the end of an A-Z list).
function compareKeyPart(x: string, y: string | undefined): number {
  if (x === y) return 0;
  if (x === "") return 1;
  if (y === "") return -1;
  return x < (y as string) ? -1 : 1;
}

/** ASC DEFAULT order of two records whose keys are made: the key, then created_at, then ID. */
function compareDefault(a: CustomerRecord, b: CustomerRecord): number {
  return (
    compareKeyPart(a.keyName, b.keyName) ||
    compareKeyPart(a.keyCompany, b.keyCompany) ||
    compareKeyPart(a.keyEmail, b.keyEmail) ||
    compareKeyPart(a.keyPhone, b.keyPhone) ||
    compareOrdered(a, b)
  );
}

/**
 * Makes the DEFAULT sort key of every profile search sees, as a seed is loaded: else the first
 * search in DEFAULT order (groupsync's count probe) makes them all while every other request
 * waits (0.54 s on 1,000,000 profiles, a stall no real server has).
 */
export function primeDefaultKeys(store: Store): void {
  for (const record of store.visibleAll) withDefaultKey(record);
}

/**
 * The first `limit` matches in DEFAULT order (ASC, or DESC when `desc`) and how many match,
 * without sorting every match: what a first page needs (a count probe with `limit: 1` over the
 * whole account asks for one profile). The order is total (IDs are unique), so these are the
 * very entries a full sort puts first.
 */
function firstInDefaultOrder(
  list: readonly CustomerRecord[],
  lo: number,
  hi: number,
  q: CustomerQuery | undefined,
  limit: number,
  desc: boolean,
): { first: CustomerRecord[]; matched: number } {
  const first: CustomerRecord[] = [];
  let matched = 0;
  // Negative when `record` comes before `other` in the requested order.
  const order = (record: CustomerRecord, other: CustomerRecord): number => {
    const c = compareDefault(record, other);
    return desc ? -c : c;
  };
  for (let i = lo; i < hi; i++) {
    const record = list[i] as CustomerRecord;
    if (q !== undefined && !matches(record, q)) continue;
    matched++;
    withDefaultKey(record);
    if (first.length === limit && order(record, first[limit - 1] as CustomerRecord) > 0) continue;
    let a = 0;
    let b = first.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (order(record, first[mid] as CustomerRecord) > 0) a = mid + 1;
      else b = mid;
    }
    first.splice(a, 0, record);
    if (first.length > limit) first.pop();
  }
  return { first, matched };
}

/** Caches of sorted results and group unions, valid while search sees no change. */
export class SortCache {
  private epoch = -1;
  private readonly sorted = new Map<string, CustomerRecord[]>();
  private readonly unions = new Map<string, CustomerRecord[]>();
  private readonly counts = new Map<string, number>();
  private readonly firstPages = new Map<string, { first: CustomerRecord[]; matched: number }>();

  private check(store: Store): void {
    if (store.visibleEpoch !== this.epoch) {
      this.epoch = store.visibleEpoch;
      this.sorted.clear();
      this.unions.clear();
      this.counts.clear();
      this.firstPages.clear();
    }
  }

  /**
   * The `count` of the query written `query` (its full text, not a hash): every page of a
   * paginated search asks for it, and it stays the same until search sees a change.
   */
  count(store: Store, query: string, compute: () => number): number {
    this.check(store);
    let count = this.counts.get(query);
    if (count === undefined) {
      count = compute();
      // Many one-page look-ups pass through: keep enough room for every search being paged.
      if (this.counts.size >= 1024) this.counts.clear();
      this.counts.set(query, count);
    }
    return count;
  }

  /** Members of any of `groups`, in created order. */
  union(store: Store, groups: readonly string[]): CustomerRecord[] {
    this.check(store);
    const key = [...groups].sort().join(",");
    let list = this.unions.get(key);
    if (!list) {
      const seen = new Set<CustomerRecord>();
      for (const g of groups) for (const r of store.visibleByGroup.get(g) ?? []) seen.add(r);
      list = [...seen].sort(compareOrdered);
      if (this.unions.size > 64) this.unions.clear();
      this.unions.set(key, list);
    }
    return list;
  }

  /** The first entries of a DEFAULT-sorted query, by its full text and the page size. */
  firstPage(
    store: Store,
    key: string,
    compute: () => { first: CustomerRecord[]; matched: number },
  ): { first: CustomerRecord[]; matched: number } {
    this.check(store);
    let page = this.firstPages.get(key);
    if (page === undefined) {
      page = compute();
      if (this.firstPages.size > 64) this.firstPages.clear();
      this.firstPages.set(key, page);
    }
    return page;
  }

  /** Whether the matches of the DEFAULT-sorted query hashed `hash` are sorted already. */
  hasSorted(store: Store, hash: string): boolean {
    this.check(store);
    return this.sorted.has(hash);
  }

  /** Every match of a DEFAULT-sorted query, in ASC order. */
  sortedMatches(store: Store, hash: string, compute: () => CustomerRecord[]): CustomerRecord[] {
    this.check(store);
    let list = this.sorted.get(hash);
    if (!list) {
      list = compute().sort(compareDefault);
      if (this.sorted.size > 64) this.sorted.clear();
      this.sorted.set(hash, list);
    }
    return list;
  }
}

/** One page of results, in Square's response shape (`{}` when empty). */
export interface PageResult {
  customers?: SquareCustomer[];
  cursor?: string;
  count?: number;
}

/** One page of results as the store's records (what search sees of each is `visible`). */
export interface RecordPage {
  records: CustomerRecord[];
  /** Present only when more results exist. */
  cursor: string | undefined;
  /** Present only when the request asked for it. */
  count: number | undefined;
}

/** Runs a page request against what search currently sees, in Square's response shape. */
export function runSearch(store: Store, request: PageRequest, cache: SortCache): PageResult {
  return toPageResult(searchPage(store, request, cache));
}

/** A page in Square's response shape: keys only for what there is (`{}` when empty). */
export function toPageResult(page: RecordPage): PageResult {
  const result: PageResult = {};
  if (page.records.length > 0) result.customers = page.records.map((r) => r.visible as SquareCustomer);
  if (page.cursor !== undefined) result.cursor = page.cursor;
  if (page.count !== undefined) result.count = page.count;
  return result;
}

/** Runs a page request against what search currently sees. */
export function searchPage(store: Store, request: PageRequest, cache: SortCache): RecordPage {
  store.flushVisible();
  const q = request.query;
  const text = `${request.kind}:${JSON.stringify(q)}`;
  const hash = hashQuery(text);
  const position = request.cursor === undefined ? undefined : decodeCursor(request.cursor, hash);
  const found = candidates(store, q, cache);
  const list = found.list;
  const every = allMatch(q, found);
  // Clamp to the created_at range on the created-ordered candidate list.
  const lo = q.createdFrom === undefined ? 0 : firstAtOrAfter(list, q.createdFrom);
  const hi = q.createdTo === undefined ? list.length : firstAfter(list, q.createdTo);
  const desc = q.sortOrder === "DESC";
  const page: CustomerRecord[] = [];
  let more = false;

  if (q.sortField === "CREATED_AT") {
    let from = lo;
    let to = hi;
    if (position) {
      if (desc) to = Math.min(to, lowerBound(list, position.c, position.i));
      else from = Math.max(from, upperBound(list, position.c, position.i));
    }
    for (let n = 0; n < to - from; n++) {
      const record = list[desc ? to - 1 - n : from + n] as CustomerRecord;
      if (!every && !matches(record, q)) continue;
      if (page.length === request.limit) {
        more = true;
        break;
      }
      page.push(record);
    }
  } else if (!position && !cache.hasSorted(store, hash)) {
    // A first page: the first `limit` matches are enough; a next page (cursor) sorts them all.
    const { first, matched } = cache.firstPage(store, `${request.limit}:${text}`, () =>
      firstInDefaultOrder(list, lo, hi, every ? undefined : q, request.limit, desc),
    );
    for (const record of first) page.push(record);
    more = matched > request.limit;
  } else {
    const sorted = sortedFor(store, cache, hash, list, lo, hi, every ? undefined : q);
    const n = sorted.length;
    let start = 0;
    if (position) start = seek(sorted, position, desc);
    for (let i = start; i < n; i++) {
      if (page.length === request.limit) {
        more = true;
        break;
      }
      page.push(sorted[desc ? n - 1 - i : i] as CustomerRecord);
    }
  }

  const result: RecordPage = { records: page, cursor: undefined, count: undefined };
  const last = page[page.length - 1];
  if (more && last) {
    const next: CursorPosition = { q: hash, c: last.createdMs, i: last.id };
    if (q.sortField === "DEFAULT") next.k = keyOf(last);
    result.cursor = encodeCursor(next);
  }
  if (request.count) {
    result.count = every
      ? Math.max(0, hi - lo)
      : cache.count(store, text, () => {
          let count = 0;
          for (let i = lo; i < hi; i++) if (matches(list[i] as CustomerRecord, q)) count++;
          return count;
        });
  }
  return result;
}

function sortedFor(
  store: Store,
  cache: SortCache,
  hash: string,
  list: readonly CustomerRecord[],
  lo: number,
  hi: number,
  /** The query to check each profile against; undefined: every one matches. */
  q: CustomerQuery | undefined,
): CustomerRecord[] {
  return cache.sortedMatches(store, hash, () => {
    const out: CustomerRecord[] = [];
    for (let i = lo; i < hi; i++) {
      const record = list[i] as CustomerRecord;
      if (q === undefined || matches(record, q)) out.push(withDefaultKey(record));
    }
    return out;
  });
}

/** Number of entries (in iteration order) at or before the cursor position. */
function seek(sorted: readonly CustomerRecord[], position: CursorPosition, desc: boolean): number {
  const key = position.k ?? [];
  const probe = { id: position.i, createdMs: position.c };
  const cmp = (e: CustomerRecord): number =>
    compareKeyPart(e.keyName, key[0]) ||
    compareKeyPart(e.keyCompany, key[1]) ||
    compareKeyPart(e.keyEmail, key[2]) ||
    compareKeyPart(e.keyPhone, key[3]) ||
    compareOrdered(e, probe);
  // count of entries <= position in ASC order
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(sorted[mid] as CustomerRecord) <= 0) lo = mid + 1;
    else hi = mid;
  }
  if (!desc) return lo;
  // In DESC order, entries >= position come first.
  let l2 = 0;
  let h2 = sorted.length;
  while (l2 < h2) {
    const mid = (l2 + h2) >>> 1;
    if (cmp(sorted[mid] as CustomerRecord) < 0) l2 = mid + 1;
    else h2 = mid;
  }
  return sorted.length - l2;
}
