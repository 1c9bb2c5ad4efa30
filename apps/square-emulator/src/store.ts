import { addWithKey, removeWithKey, type KeyIndex } from "./key-index.js";
import { emailKey, toE164 } from "./normalize.js";
import { createId, drawDelay, type Random } from "./random.js";
import { compareOrdered, insertOrdered, removeOrdered } from "./sorted-records.js";
import { newRecord, NO_GROUPS, type CustomerRecord } from "./customer-record.js";
import { popHeap, pushHeap, type PendingChange } from "./pending-heap.js";
import type { DelaySpec, SeedData, SquareCustomer, SquareCustomerGroup } from "./types.js";

/** One customer group and its place in ListCustomerGroups order. */
export interface GroupRecord {
  group: SquareCustomerGroup;
  readonly seq: number;
}

/** Fields a caller may set on a profile (create / sparse update). */
export type CustomerFields = Omit<
  SquareCustomer,
  "id" | "created_at" | "updated_at" | "version" | "group_ids" | "segment_ids"
>;

/** Clock and randomness the store runs on. */
export interface StoreEnvironment {
  now(): number;
  random: Random;
  searchLagMs: DelaySpec;
}

/** The groups of a profile in none (one array for all of them). */
const PUBLIC_FIELDS = ["given_name", "family_name", "company_name", "email_address", "phone_number"] as const;

/** Only profiles with a name, company, email or phone are listed or found (Square's rule). */
export function isListable(c: SquareCustomer): boolean {
  return PUBLIC_FIELDS.some((f) => {
    const v = c[f];
    return typeof v === "string" && v.length > 0;
  });
}

/**
 * The in-memory Square account: groups and profiles, with indexes so that every call costs
 * O(page) rather than O(profiles). Truth indexes (by ID, group members) change at once;
 * search indexes (email, phone, group, created order) follow each profile's visible snapshot.
 */
export class Store {
  readonly customers = new Map<string, CustomerRecord>();
  readonly groups = new Map<string, GroupRecord>();
  /** Groups in creation order (ListCustomerGroups order). */
  readonly groupList: GroupRecord[] = [];
  /** Current members of each group (truth, for DeleteCustomerGroup). */
  readonly members = new Map<string, Set<string>>();

  // Search indexes over visible, listable snapshots, each ordered by (created_at, id).
  readonly visibleAll: CustomerRecord[] = [];
  readonly visibleByEmail: KeyIndex<CustomerRecord> = new Map();
  readonly visibleByPhone: KeyIndex<CustomerRecord> = new Map();
  readonly visibleByGroup = new Map<string, CustomerRecord[]>();
  /** Bumped on every change of what search sees (invalidates cached sorted results). */
  visibleEpoch = 0;

  private readonly pending: PendingChange[] = [];
  private pendingSeq = 0;
  private groupSeq = 0;

  constructor(private readonly env: StoreEnvironment) {}

  /** Replaces all data with `seed`; everything is immediately visible to search. */
  load(seed: SeedData): void {
    this.customers.clear();
    this.groups.clear();
    this.groupList.length = 0;
    this.members.clear();
    this.visibleAll.length = 0;
    this.visibleByEmail.clear();
    this.visibleByPhone.clear();
    this.visibleByGroup.clear();
    this.pending.length = 0;
    this.visibleEpoch++;
    for (const group of seed.groups) this.putGroup({ ...group });
    const records: CustomerRecord[] = [];
    for (const customer of seed.customers) {
      const record = newRecord(customer, Date.parse(customer.created_at) || 0);
      this.customers.set(record.id, record);
      for (const g of customer.group_ids ?? []) this.memberSet(g).add(record.id);
      records.push(record);
    }
    // Sorting once and appending keeps the bulk load O(n log n) instead of n ordered inserts.
    records.sort(compareOrdered);
    for (const record of records) this.showSnapshot(record, record.current, true);
  }

  /** A snapshot of the current truth, in the seed format (groups in creation order). */
  snapshot(): SeedData {
    const customers: SquareCustomer[] = [];
    for (const record of this.customers.values()) if (record.current) customers.push(record.current);
    return { groups: this.groupList.map((r) => r.group), customers };
  }

  // ---- groups -------------------------------------------------------------------------------

  private putGroup(group: SquareCustomerGroup): GroupRecord {
    const record: GroupRecord = { group, seq: this.groupSeq++ };
    this.groups.set(group.id, record);
    this.groupList.push(record);
    return record;
  }

  private memberSet(groupId: string): Set<string> {
    let set = this.members.get(groupId);
    if (!set) {
      set = new Set();
      this.members.set(groupId, set);
    }
    return set;
  }

  /** Creates a group named `name` (names need not be unique), with `id` when given. */
  createGroup(name: string, id?: string): SquareCustomerGroup {
    const now = new Date(this.env.now()).toISOString();
    const group = { id: id ?? this.newId(), name, created_at: now, updated_at: now };
    this.putGroup(group);
    return group;
  }

  /** Renames a group; undefined when it does not exist. */
  renameGroup(id: string, name: string): SquareCustomerGroup | undefined {
    const record = this.groups.get(id);
    if (!record) return undefined;
    if (record.group.name !== name) {
      record.group = { ...record.group, name, updated_at: new Date(this.env.now()).toISOString() };
    }
    return record.group;
  }

  /** Deletes a group and takes it off every member's `group_ids`; false when it does not exist. */
  deleteGroup(id: string): boolean {
    const record = this.groups.get(id);
    if (!record) return false;
    this.groups.delete(id);
    const at = this.groupList.indexOf(record);
    if (at >= 0) this.groupList.splice(at, 1);
    for (const customerId of this.members.get(id) ?? []) {
      const customer = this.customers.get(customerId)?.current;
      if (customer) this.changeMembership(customerId, id, false, customer);
    }
    this.members.delete(id);
    return true;
  }

  // ---- customers ----------------------------------------------------------------------------

  /** Creates a profile with `fields` (version 0). */
  createCustomer(fields: CustomerFields, creationSource = "THIRD_PARTY"): SquareCustomer {
    const nowMs = this.env.now();
    const now = new Date(nowMs).toISOString();
    const customer: SquareCustomer = {
      id: this.newId(),
      created_at: now,
      updated_at: now,
      ...fields,
      preferences: { email_unsubscribed: false },
      creation_source: creationSource,
      version: 0,
    };
    const record = newRecord(customer, nowMs);
    this.customers.set(record.id, record);
    this.scheduleVisible(record, customer);
    return customer;
  }

  /** Adds a profile as given (tests of other packages); replaces one with the same ID. */
  putCustomer(customer: SquareCustomer): SquareCustomer {
    const existing = this.customers.get(customer.id);
    if (existing) {
      this.replaceCurrent(existing, customer);
      return customer;
    }
    const record = newRecord(customer, Date.parse(customer.created_at));
    this.customers.set(record.id, record);
    for (const g of customer.group_ids ?? []) this.memberSet(g).add(record.id);
    this.scheduleVisible(record, customer);
    return customer;
  }

  /** The current profile, or undefined. */
  getCustomer(id: string): SquareCustomer | undefined {
    return this.customers.get(id)?.current;
  }

  /** Applies a sparse update (`null` clears a field); bumps version and updated_at. */
  updateCustomer(id: string, patch: Record<string, unknown>): SquareCustomer | undefined {
    const record = this.customers.get(id);
    const current = record?.current;
    if (!record || !current) return undefined;
    const next: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    return this.replaceCurrent(record, this.bumped(next as unknown as SquareCustomer));
  }

  /** Deletes a profile; false when it does not exist. */
  deleteCustomer(id: string): boolean {
    const record = this.customers.get(id);
    const current = record?.current;
    if (!record || !current) return false;
    for (const g of current.group_ids ?? []) this.members.get(g)?.delete(id);
    record.current = undefined;
    this.customers.delete(id);
    this.scheduleVisible(record, undefined);
    return true;
  }

  /**
   * Adds or removes one group on a profile. Returns "unchanged" when there was nothing to do
   * (no version bump), "changed" otherwise, undefined when the profile does not exist.
   */
  setMembership(customerId: string, groupId: string, member: boolean): "changed" | "unchanged" | undefined {
    const current = this.customers.get(customerId)?.current;
    if (!current) return undefined;
    return this.changeMembership(customerId, groupId, member, current);
  }

  private changeMembership(
    customerId: string,
    groupId: string,
    member: boolean,
    current: SquareCustomer,
  ): "changed" | "unchanged" {
    const groups = current.group_ids ?? [];
    if (groups.includes(groupId) === member) return "unchanged";
    const nextGroups = member ? [...groups, groupId] : groups.filter((g) => g !== groupId);
    const next: SquareCustomer = { ...current };
    if (nextGroups.length > 0) next.group_ids = nextGroups;
    else delete next.group_ids;
    if (member) this.memberSet(groupId).add(customerId);
    else this.members.get(groupId)?.delete(customerId);
    this.replaceCurrent(this.customers.get(customerId) as CustomerRecord, this.bumped(next));
    return "changed";
  }

  private bumped(customer: SquareCustomer): SquareCustomer {
    return {
      ...customer,
      updated_at: new Date(this.env.now()).toISOString(),
      version: (customer.version ?? 0) + 1,
    };
  }

  private replaceCurrent(record: CustomerRecord, next: SquareCustomer): SquareCustomer {
    const before = record.current?.group_ids ?? [];
    for (const g of before) if (!next.group_ids?.includes(g)) this.members.get(g)?.delete(record.id);
    for (const g of next.group_ids ?? []) this.memberSet(g).add(record.id);
    record.current = next;
    this.scheduleVisible(record, next);
    return next;
  }

  // ---- eventual consistency -----------------------------------------------------------------

  /** Makes every pending change whose time has come visible to search. */
  flushVisible(): void {
    const now = this.env.now();
    const heap = this.pending;
    while (heap.length > 0 && (heap[0] as PendingChange).at <= now) {
      const change = popHeap(heap);
      this.showSnapshot(change.record, change.snapshot, false);
    }
  }

  /** Makes every pending change visible now (tests; `setSearchLag(0)`). */
  flushAllVisible(): void {
    while (this.pending.length > 0) {
      const change = popHeap(this.pending);
      this.showSnapshot(change.record, change.snapshot, false);
    }
  }

  /** Number of changes search does not see yet. */
  pendingCount(): number {
    return this.pending.length;
  }

  private scheduleVisible(record: CustomerRecord, snapshot: SquareCustomer | undefined): void {
    const now = this.env.now();
    const lag = Math.max(0, drawDelay(this.env.searchLagMs, this.env.random));
    const at = Math.max(now + lag, record.pendingUntil);
    if (at <= now) {
      this.showSnapshot(record, snapshot, false);
      return;
    }
    record.pendingUntil = at;
    pushHeap(this.pending, { at, seq: this.pendingSeq++, record, snapshot });
  }

  private showSnapshot(record: CustomerRecord, snapshot: SquareCustomer | undefined, bulk: boolean): void {
    const wasIndexed = record.indexed;
    const oldEmail = record.indexedEmail;
    const oldPhone = record.indexedPhone;
    const oldGroups = record.indexedGroups;
    record.visible = snapshot;
    this.visibleEpoch++;
    const listable = snapshot !== undefined && isListable(snapshot);
    const email = listable && snapshot.email_address ? emailKey(snapshot.email_address) : undefined;
    const phone = listable && snapshot.phone_number ? toE164(snapshot.phone_number) : undefined;
    const groups = listable ? (snapshot.group_ids ?? NO_GROUPS) : NO_GROUPS;
    record.indexed = listable;
    record.indexedEmail = email;
    record.indexedPhone = phone;
    record.indexedGroups = groups;
    // Only the index entries whose key changed move: a membership change touches one group list.
    // In a bulk load records arrive in created order, so appending keeps every list sorted.
    const add = bulk ? appendTo : insertInto;
    if (!wasIndexed && listable) {
      if (bulk) this.visibleAll.push(record);
      else insertOrdered(this.visibleAll, record);
    } else if (wasIndexed && !listable) removeOrdered(this.visibleAll, record);
    if (oldEmail !== email) {
      if (oldEmail !== undefined) removeWithKey(this.visibleByEmail, oldEmail, record);
      if (email !== undefined) addWithKey(this.visibleByEmail, email, record, bulk);
    }
    if (oldPhone !== phone) {
      if (oldPhone !== undefined) removeWithKey(this.visibleByPhone, oldPhone, record);
      if (phone !== undefined) addWithKey(this.visibleByPhone, phone, record, bulk);
    }
    for (const g of oldGroups) if (!groups.includes(g)) removeFrom(this.visibleByGroup, g, record);
    for (const g of groups) if (!oldGroups.includes(g)) add(this.visibleByGroup, g, record);
  }

  private newId(): string {
    for (;;) {
      const id = createId(this.env.random);
      if (!this.customers.has(id) && !this.groups.has(id)) return id;
    }
  }
}

function appendTo(index: Map<string, CustomerRecord[]>, key: string, record: CustomerRecord): void {
  const list = index.get(key);
  if (list) list.push(record);
  else index.set(key, [record]);
}

function insertInto(index: Map<string, CustomerRecord[]>, key: string, record: CustomerRecord): void {
  const list = index.get(key);
  if (list) insertOrdered(list, record);
  else index.set(key, [record]);
}

function removeFrom(index: Map<string, CustomerRecord[]>, key: string, record: CustomerRecord): void {
  const list = index.get(key);
  if (!list) return;
  removeOrdered(list, record);
  if (list.length === 0) index.delete(key);
}
