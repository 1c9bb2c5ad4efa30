// Whether one profile, as search sees it, passes a query's filters.
import { fuzzyEmailMatches, fuzzyPhoneMatches } from "../normalize.js";
import type { CustomerRecord } from "../customer-record.js";
import type { SquareCustomer } from "../types.js";
import type { CustomerQuery, TextFilter } from "./parse-query.js";

// Every check below that can fail is listed by `narrowings`: keep the two in step.
export function matches(record: CustomerRecord, q: CustomerQuery): boolean {
  const c = record.visible as SquareCustomer;
  if (!record.indexed) return false;
  if (q.email && !passesText(q.email, c.email_address, record.indexedEmail, fuzzyEmailMatches)) return false;
  if (q.phone && !passesText(q.phone, c.phone_number, record.indexedPhone, fuzzyPhoneMatches)) return false;
  if (q.reference && !passesText(q.reference, c.reference_id, c.reference_id, containsAll)) return false;
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

/**
 * One text filter: `exact` against the value as the index keeps it (an email's key, a phone in
 * E.164), `fuzzy` against the stored value; a profile without the field never passes.
 */
function passesText(
  filter: TextFilter,
  stored: string | undefined,
  indexed: string | undefined,
  fuzzyMatches: (tokens: readonly string[], stored: string) => boolean,
): boolean {
  if (stored === undefined) return false;
  return "exact" in filter ? indexed === filter.exact : fuzzyMatches(filter.fuzzy, stored);
}

/** A reference ID's fuzzy match: it contains every token. */
function containsAll(tokens: readonly string[], stored: string): boolean {
  return tokens.every((t) => stored.includes(t));
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
