import { createId, type Random } from "./random.js";
import type { CustomerFields, Store } from "./store.js";
import type { DelaySpec, SeedData, SquareCustomer, SquareCustomerGroup } from "./types.js";

/**
 * Direct access to the emulator's data, for tests of other packages (no HTTP, no stats).
 * Profiles it returns are the emulator's own: change them through its methods, never in place.
 */
export interface EmulatorStore {
  /** Adds a profile. `id`, `created_at`, `updated_at`, `version` default sensibly; group IDs must exist or not, as you like. */
  addCustomer(
    customer: CustomerFields & Partial<Pick<SquareCustomer, "id" | "created_at" | "group_ids" | "version">>,
  ): SquareCustomer;
  /** Adds a group named `name` (and `id` when given). */
  addGroup(name: string, id?: string): SquareCustomerGroup;
  /** Adds or removes a group on a profile (bumps version as the API does). */
  setMembership(customerId: string, groupId: string, member: boolean): void;
  /** Sparse update of a profile, as UpdateCustomer (`null` clears). */
  updateCustomer(id: string, patch: Record<string, unknown>): SquareCustomer | undefined;
  /** Deletes a profile. */
  deleteCustomer(id: string): boolean;
  /** A profile as Retrieve sees it. */
  getCustomer(id: string): SquareCustomer | undefined;
  /** A profile as search sees it now (undefined: not visible). */
  getSearchVisible(id: string): SquareCustomer | undefined;
  /** All groups, in ListCustomerGroups order. */
  groups(): SquareCustomerGroup[];
  /** The whole current state, in the seed format. */
  snapshot(): SeedData;
  /** Replaces all data (visible to search at once). */
  load(seed: SeedData): void;
  /** Sets the search lag for later changes. */
  setSearchLag(lag: DelaySpec): void;
  /** Makes every pending change visible to search now. */
  flushSearch(): void;
  /** How many changes search does not see yet. */
  pendingSearchChanges(): number;
}

export interface EmulatorStoreDeps {
  readonly store: Store;
  readonly random: Random;
  readonly now: () => number;
  /** Replaces all data, priming what search and answers need. */
  readonly load: (seed: SeedData) => void;
  readonly setSearchLag: (lag: DelaySpec) => void;
  /** Called after every change (schedules a state-file save). */
  readonly onChange: () => void;
}

export function createEmulatorStore(deps: EmulatorStoreDeps): EmulatorStore {
  const { store, random, now, onChange } = deps;
  const changing =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const result = fn(...args);
      onChange();
      return result;
    };
  return {
    addCustomer: changing((input: Parameters<EmulatorStore["addCustomer"]>[0]) => {
      const nowIso = new Date(now()).toISOString();
      const { id, created_at, group_ids, version, ...fields } = input;
      const customer: SquareCustomer = {
        id: id ?? createId(random),
        created_at: created_at ?? nowIso,
        updated_at: created_at ?? nowIso,
        ...fields,
        creation_source: fields.creation_source ?? "THIRD_PARTY",
        version: version ?? 0,
      };
      if (group_ids && group_ids.length > 0) customer.group_ids = [...group_ids];
      store.putCustomer(customer);
      return customer;
    }),
    addGroup: changing((name: string, id?: string) => store.createGroup(name, id)),
    setMembership: changing((customerId: string, groupId: string, member: boolean) =>
      store.setMembership(customerId, groupId, member),
    ),
    updateCustomer: changing((id: string, patch: Record<string, unknown>) => store.updateCustomer(id, patch)),
    deleteCustomer: changing((id: string) => store.deleteCustomer(id)),
    getCustomer: (id) => store.getCustomer(id),
    getSearchVisible(id) {
      store.flushVisible();
      return store.customers.get(id)?.visible;
    },
    groups: () => store.groupList.map((r) => r.group),
    snapshot: () => store.snapshot(),
    load: changing((seed: SeedData) => deps.load(seed)),
    setSearchLag: (lag) => deps.setSearchLag(lag),
    flushSearch: () => store.flushAllVisible(),
    pendingSearchChanges: () => store.pendingCount(),
  };
}
