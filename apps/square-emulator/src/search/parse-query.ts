// Parsing and validating SearchCustomers / ListCustomers requests into a CustomerQuery.
import { badRequest } from "../api-error.js";
import { emailKey, emailTokens, phoneTokens, toE164 } from "../normalize.js";
import {
  checkLimit,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringArray,
  type JsonObject,
} from "../validate.js";

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

/** A text field's filter: `exact` (normalized for email and phone) or `fuzzy` tokens. */
export type TextFilter = { exact: string } | { fuzzy: string[] };

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
