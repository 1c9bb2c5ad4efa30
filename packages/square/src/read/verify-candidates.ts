import {
  candidateProfileIds,
  diff,
  type DesiredState,
  type DiffOptions,
  type LiveGroup,
  type LiveProfile,
  type Plan,
} from "@groupsync/core";
import type { SquareClient } from "../client.js";
import { bulkRetrieveCustomers } from "../customers-api.js";
import { sameProfile, toLiveProfile } from "./to-live.js";

/** Rounds of verification at most: a corrected state may name new candidates, rarely more. */
const MAX_ROUNDS = 3;

/**
 * Stage 4: the plan of `profiles`, its add and remove candidates (and `knownIds`) retrieved with
 * BulkRetrieveCustomers, whose `group_ids` is current where search lags (DESIGN.md §6). What it
 * retrieves replaces what search said in `profiles` (a profile it does not find is dropped),
 * and the plan is made again while that changes the state and names new candidates. Returns
 * the plan of `profiles` as they end.
 */
export async function verifyCandidates(
  client: SquareClient,
  desired: DesiredState,
  groups: readonly LiveGroup[],
  profiles: Map<string, LiveProfile>,
  knownIds: readonly string[],
  onBatch: (done: number, total: number) => void,
  /** How each plan is made (the deleted groups' member counts). */
  diffOptions: DiffOptions = {},
): Promise<Plan> {
  const planNow = (): Plan => diff(desired, { groups, profiles: [...profiles.values()] }, diffOptions);
  let plan = planNow();
  const verified = new Set<string>();
  let unverified = knownIds;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ids = [...new Set([...unverified, ...candidateProfileIds(plan)])].filter((id) => !verified.has(id));
    if (ids.length === 0) return plan;
    for (const id of ids) verified.add(id);
    if (!(await retrieveInto(client, profiles, ids, onBatch))) return plan;
    plan = planNow();
    unverified = [];
  }
  return plan;
}

/** Replaces `ids` in `profiles` with what BulkRetrieve says; whether that changed anything. */
async function retrieveInto(
  client: SquareClient,
  profiles: Map<string, LiveProfile>,
  ids: readonly string[],
  onBatch: (done: number, total: number) => void,
): Promise<boolean> {
  let done = 0;
  const truth = await bulkRetrieveCustomers(client, ids, {
    onBatch: (n) => onBatch((done += n), ids.length),
  });
  let changed = false;
  for (const id of ids) {
    const customer = truth.get(id);
    const before = profiles.get(id);
    if (customer === undefined) {
      changed ||= before !== undefined;
      profiles.delete(id);
    } else {
      const after = toLiveProfile(customer);
      changed ||= before === undefined || !sameProfile(before, after);
      profiles.set(id, after);
    }
  }
  return changed;
}
