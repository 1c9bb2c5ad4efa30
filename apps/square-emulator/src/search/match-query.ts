// Whether one profile, as search sees it, passes a query's filters.
import { fuzzyEmailMatches, fuzzyPhoneMatches } from "../normalize.js";
import type { CustomerRecord } from "../customer-record.js";
import type { SquareCustomer } from "../types.js";
import type { CustomerQuery } from "./parse-query.js";

// Every check below that can fail is listed by `narrowings`: keep the two in step.
export function matches(record: CustomerRecord, q: CustomerQuery): boolean {
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
export type Narrowing =
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
export function narrowings(q: CustomerQuery): Narrowing[] {
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
