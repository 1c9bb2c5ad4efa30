import type { SquareCustomer } from "./types.js";

/** The group IDs of a profile in no group (shared: one array, not one per profile). */
export const NO_GROUPS: readonly string[] = [];

/** One customer profile: the current truth and the snapshot search sees (eventual consistency). */
export interface CustomerRecord {
  readonly id: string;
  readonly createdMs: number;
  /** The profile as Retrieve/BulkRetrieve see it; undefined once deleted. */
  current: SquareCustomer | undefined;
  /** The profile as SearchCustomers/ListCustomers see it; undefined when not (yet / any more) visible. */
  visible: SquareCustomer | undefined;
  /**
   * Whether `visible` is in the search indexes (it is only when listable), and under which keys.
   * Fields of the record rather than an object of their own: one object fewer per profile for
   * the garbage collector to mark.
   */
  indexed: boolean;
  indexedEmail: string | undefined;
  indexedPhone: string | undefined;
  indexedGroups: readonly string[];
  /** Latest time a pending snapshot becomes visible (keeps one profile's changes in order). */
  pendingUntil: number;
  /** The profile object (`current` or `visible`) whose JSON `json` holds (see `customerJson`). */
  jsonOf: SquareCustomer | undefined;
  /** UTF-8 JSON of `jsonOf`, one character per byte. */
  json: string | undefined;
  /** The `visible` object whose DEFAULT sort key the `key*` fields hold (see search's `withDefaultKey`). */
  keyOf: SquareCustomer | undefined;
  keyName: string;
  keyCompany: string;
  keyEmail: string;
  keyPhone: string;
}

/** A store record for a profile, with nothing derived from it yet (visibility, index, JSON, sort key). */
export function newRecord(customer: SquareCustomer, createdMs: number): CustomerRecord {
  return {
    id: customer.id,
    createdMs,
    current: customer,
    visible: undefined,
    indexed: false,
    indexedEmail: undefined,
    indexedPhone: undefined,
    indexedGroups: NO_GROUPS,
    pendingUntil: 0,
    jsonOf: undefined,
    json: undefined,
    keyOf: undefined,
    keyName: "",
    keyCompany: "",
    keyEmail: "",
    keyPhone: "",
  };
}
