// Square's DEFAULT order (name, company, email, phone, then created_at and ID).
import { compareOrdered } from "../sorted-records.js";
import type { CustomerRecord } from "../customer-record.js";
import type { Store } from "../store.js";
import type { SquareCustomer } from "../types.js";
import { matches } from "./match-query.js";
import type { CustomerQuery } from "./parse-query.js";

/**
 * Makes the lower-cased DEFAULT sort key (name, company, email, phone) of what search sees of
 * `record`, in fields of the record, unless they hold that object's already (objects are never
 * changed in place), so a change of search state does not make every key again. Fields, not an
 * array per profile: two objects fewer per profile, and sorting the matches of a query makes no
 * entry per match.
 */
export function withDefaultKey(record: CustomerRecord): CustomerRecord {
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
export function keyOf(record: CustomerRecord): string[] {
  return [record.keyName, record.keyCompany, record.keyEmail, record.keyPhone];
}

// Empty values sort after every non-empty one (blank names at the end of an A-Z list).
export function compareKeyPart(x: string, y: string | undefined): number {
  if (x === y) return 0;
  if (x === "") return 1;
  if (y === "") return -1;
  return x < (y as string) ? -1 : 1;
}

/** ASC DEFAULT order of two records whose keys are made: the key, then created_at, then ID. */
export function compareDefault(a: CustomerRecord, b: CustomerRecord): number {
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
 * waits (a stall no real server has).
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
export function firstInDefaultOrder(
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
