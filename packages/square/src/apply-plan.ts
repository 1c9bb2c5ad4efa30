import {
  ACTION_ORDER,
  type Action,
  type ActionType,
  type CreateCustomerAction,
  type CreateGroupAction,
  type Plan,
} from "@groupsync/core";
import { checkPreconditions } from "./check-preconditions.js";
import type { SquareClient } from "./client.js";
import {
  addGroupToCustomer,
  BULK_CREATE_MAX,
  bulkCreateCustomers,
  bulkRetrieveCustomers,
  removeGroupFromCustomer,
} from "./customers-api.js";
import {
  SquareAbortedError,
  SquareApiError,
  SquareAuthError,
  type ActionErrorCode,
  SquareError,
  SquareResponseError,
  SquareStalePlanError,
} from "./errors.js";
import { createGroup, deleteGroup, renameGroup, retrieveGroup } from "./groups-api.js";
import { createCustomerKey, createGroupKey, idempotencyAccount } from "./idempotency-keys.js";
import { runPool } from "./run-pool.js";
import type { SquareErrorBody, SquareNewCustomer } from "./square-types.js";

/** DESIGN.md §4: the order actions are applied in, one phase after the other. */
export const APPLY_ORDER: readonly ActionType[] = ACTION_ORDER;

/**
 * The phases of an apply, in {@link APPLY_ORDER}: each starts once the one before has finished.
 * Adds and removes share one: the removes start once every add has started, without waiting for
 * the last adds to answer (a round trip saved). No remove depends on an add: a plan never adds
 * and removes one membership, and a remove never names a group or profile the apply creates.
 */
export const APPLY_PHASES: readonly (readonly ActionType[])[] = [
  ["create_group"],
  ["rename_group"],
  ["create_customer"],
  ["add_member", "remove_member"],
  ["delete_group"],
];

/** Why an action failed, as data (no stack, no token). */
export interface ActionError {
  readonly code: ActionErrorCode;
  readonly message: string;
  readonly status?: number;
  /** Square's own code (`NOT_FOUND`, `INSUFFICIENT_SCOPES`, ...). */
  readonly squareCode?: string;
  readonly hint?: string;
}

/** What became of one action. */
export interface ActionResult {
  readonly address: string;
  readonly type: ActionType;
  /** done: Square holds the result; failed: it does not; skipped: not tried (see `error`). */
  readonly status: "done" | "failed" | "skipped";
  readonly error?: ActionError;
  /** The ID Square gave a created group or profile. */
  readonly createdId?: string;
  /** Why a `done` needed no change (e.g. a removal of a profile that no longer exists). */
  readonly note?: string;
}

/** A touched profile whose `group_ids` after the apply differ from what the plan made. */
export interface VerifyMismatch {
  readonly address: string;
  readonly customerId: string;
  readonly groupId: string;
  readonly message: string;
}

export interface ApplyResult {
  /** One per action of the plan, in the plan's order. */
  readonly results: readonly ActionResult[];
  /** Every action done and no verification mismatch. */
  readonly ok: boolean;
  /** Profiles created (pass them as `knownProfileIds` to the next read: search lags). */
  readonly createdCustomerIds: readonly string[];
  /** Groups created, by the address of their create_group action. */
  readonly createdGroupIds: Readonly<Record<string, string>>;
  /** Result of reading the touched profiles back with BulkRetrieve (empty when all match). */
  readonly mismatches: readonly VerifyMismatch[];
  /** `signal` stopped the apply: the actions not started are `skipped` (GS_SQUARE_ABORTED). */
  readonly stopped: boolean;
}

export type ApplyProgressEvent =
  | {
      readonly phase: "apply";
      readonly done: number;
      readonly total: number;
      readonly address: string;
      readonly status: ActionResult["status"];
      /** The action's whole result (with `createdId`: a caller may persist it at once). */
      readonly result: ActionResult;
    }
  | { readonly phase: "verify"; readonly done: number; readonly total: number };

/** Options of `applyPlan`. */
export interface ApplyPlanOptions {
  /** Called after each action and each verification batch. */
  readonly onProgress?: (event: ApplyProgressEvent) => void;
  /** Actions in flight at once, on top of the client's adaptive limit [64]. */
  readonly concurrency?: number;
  /**
   * Re-check the plan's preconditions first and throw SquareStalePlanError (applying nothing)
   * when one fails [true]. A plan made a moment ago from verified reads may skip it.
   */
  readonly checkPreconditions?: boolean;
  /** Read the touched profiles back with BulkRetrieve after the apply [true]. */
  readonly verify?: boolean;
  /** The clock, in ms since the epoch [Date.now]: tells a remembered group creation from a new one. */
  readonly now?: () => number;
  /**
   * Stops the apply when aborted: no action starts from then on, the verification is skipped,
   * and the result says what was done. Give the client the same signal (`createSquareClient`),
   * so that requests waiting in it are not sent either.
   */
  readonly signal?: AbortSignal;
}

/**
 * Applies a plan: phases in DESIGN.md §4 order ({@link APPLY_PHASES}), the actions of a phase
 * concurrently. A failed action does not stop the others; actions that depend on a failed one
 * (members of a group whose creation failed, of a profile whose creation failed) are skipped.
 * After an auth error (401/403) nothing new is started: every further call would fail the same
 * way.
 * Profiles are created with BulkCreateCustomers, 100 a call; a profile Square refuses fails alone.
 * Retries are safe: creates carry idempotency keys derived from what they create (see
 * `createGroupKey`, `createCustomerKey`), membership calls are idempotent.
 */
export async function applyPlan(
  client: SquareClient,
  plan: Plan,
  options: ApplyPlanOptions = {},
): Promise<ApplyResult> {
  if (options.checkPreconditions !== false) {
    const reasons = await checkPreconditions(client, plan);
    if (reasons.length > 0) throw new SquareStalePlanError(reasons);
  }
  const progress = options.onProgress ?? (() => {});
  const results = new Map<string, ActionResult>();
  const createdGroups = new Map<string, string>();
  const createdCustomers = new Map<string, string>();
  const failedGroupKeys = new Set<string>();
  let fatal: ActionError | undefined;
  let done = 0;
  const total = plan.actions.length;

  const record = (action: Action, outcome: Omit<ActionResult, "address" | "type">) => {
    const result: ActionResult = { address: action.address, type: action.type, ...outcome };
    results.set(action.address, result);
    progress({ phase: "apply", done: ++done, total, address: action.address, status: result.status, result });
  };

  const account = idempotencyAccount(client);
  const startedAt = (options.now ?? Date.now)();

  const signal = options.signal;
  // Also set when the client's own signal stopped it (a SquareAbortedError).
  let stopped = false;
  const isStopped = () => stopped || signal?.aborted === true;

  /** Records a skip and returns true when `action` must not be tried. */
  const skipped = (action: Action): boolean => {
    if (fatal !== undefined) {
      record(action, {
        status: "skipped",
        error: { ...fatal, message: `not tried after: ${fatal.message}` },
      });
      return true;
    }
    const blocker = blockedBy(action, results, failedGroupKeys);
    if (blocker !== undefined) {
      record(action, {
        status: "skipped",
        error: { code: "GS_SQUARE_DEPENDENCY_FAILED", message: `${blocker} was not done` },
      });
      return true;
    }
    return false;
  };

  const createCustomers = async (batch: readonly CreateCustomerAction[]): Promise<void> => {
    // Not started: left out of the results here, listed as skipped at the end (no line each).
    if (isStopped()) return;
    const byKey = new Map<string, CreateCustomerAction[]>();
    const customers = new Map<string, SquareNewCustomer>();
    for (const action of batch) {
      if (skipped(action)) continue;
      const key = createCustomerKey(account, action.customer);
      byKey.set(key, [...(byKey.get(key) ?? []), action]);
      customers.set(key, newCustomer(action));
    }
    if (customers.size === 0) return;
    try {
      const outcomes = await bulkCreateCustomers(client, customers);
      for (const [key, actions] of byKey) {
        const outcome = outcomes.get(key);
        for (const action of actions) {
          if (outcome !== undefined && "customer" in outcome) {
            createdCustomers.set(action.address, outcome.customer.id);
            record(action, { status: "done", createdId: outcome.customer.id });
          } else {
            record(action, { status: "failed", error: entryError(outcome?.errors ?? []) });
          }
        }
      }
    } catch (error) {
      if (error instanceof SquareAbortedError) stopped = true;
      if (error instanceof SquareAbortedError && !error.inFlight) return; // never sent
      const described = describe(error);
      if (error instanceof SquareAuthError) fatal = described;
      for (const actions of byKey.values()) {
        for (const action of actions) record(action, { status: "failed", error: described });
      }
    }
  };

  const run = async (action: Action): Promise<void> => {
    if (isStopped() || skipped(action)) return;
    try {
      const outcome =
        action.type === "create_group"
          ? { createdId: await createGroupOnce(client, account, action, startedAt) }
          : await perform(client, action, createdGroups, createdCustomers);
      if (outcome.createdId !== undefined) {
        if (action.type === "create_group") createdGroups.set(action.address, outcome.createdId);
        if (action.type === "create_customer") createdCustomers.set(action.address, outcome.createdId);
      }
      record(action, { status: "done", ...outcome });
    } catch (error) {
      if (error instanceof SquareAbortedError) stopped = true;
      if (error instanceof SquareAbortedError && !error.inFlight) return; // never sent
      const described = describe(error);
      if (error instanceof SquareAuthError) fatal = described;
      if (action.type === "create_group") failedGroupKeys.add(action.group);
      record(action, { status: "failed", error: described });
    }
  };

  const limit = Math.max(1, options.concurrency ?? 64);
  for (const types of APPLY_PHASES) {
    if (isStopped()) break;
    if (types.length === 1 && types[0] === "create_customer") {
      const creations = plan.actions.filter((a): a is CreateCustomerAction => a.type === "create_customer");
      await runPool(chunks(creations, BULK_CREATE_MAX), limit, createCustomers);
      continue;
    }
    // runPool starts its items in order: every action of a type before any of the next.
    await runPool(
      types.flatMap((type) => plan.actions.filter((a) => a.type === type)),
      limit,
      run,
    );
  }

  let mismatches: VerifyMismatch[] = [];
  if (options.verify !== false && !isStopped()) {
    try {
      mismatches = await verify(client, plan, results, createdGroups, createdCustomers, progress);
    } catch (error) {
      // Stopped while reading back: what was done stands, unverified.
      if (!(error instanceof SquareAbortedError)) throw error;
      stopped = true;
    }
  }
  stopped = isStopped();
  const notStarted: ActionError = {
    code: "GS_SQUARE_ABORTED",
    message: "not started: the apply was stopped",
  };
  const ordered = plan.actions.map(
    (a) =>
      results.get(a.address) ?? {
        address: a.address,
        type: a.type,
        status: "skipped" as const,
        ...(stopped ? { error: notStarted } : {}),
      },
  );
  return {
    results: ordered,
    ok: ordered.every((r) => r.status === "done") && mismatches.length === 0,
    createdCustomerIds: [...createdCustomers.values()],
    createdGroupIds: Object.fromEntries(createdGroups),
    mismatches,
    stopped,
  };
}

/** How many deleted groups in a row one create_group steps past before it gives up. */
const MAX_DELETED_REPLAYS = 5;

/**
 * CreateCustomerGroup under the key derived from what it creates. Square answers a key it knows
 * with the group it made then, which may have been deleted since (the group was removed from the
 * file and later added back): a group created before this apply started is looked up
 * (RetrieveCustomerGroup, one call), and when it is gone the group is created under the next key,
 * derived from the deleted group's ID, so that concurrent applies still make one group.
 */
async function createGroupOnce(
  client: SquareClient,
  account: string,
  action: CreateGroupAction,
  startedAt: number,
): Promise<string> {
  let key = createGroupKey(account, action.group, action.name);
  for (let replays = 0; ; replays++) {
    const group = await createGroup(client, action.name, key);
    const createdAt = Date.parse(group.created_at ?? "");
    // Made by this call, or by a racing apply since this one started: it exists.
    if (!(createdAt < startedAt) || (await retrieveGroup(client, group.id)) !== undefined) return group.id;
    if (replays >= MAX_DELETED_REPLAYS) {
      throw new SquareResponseError(
        "CreateCustomerGroup",
        200,
        undefined,
        `group ${group.id}, deleted since (${MAX_DELETED_REPLAYS + 1} such answers in a row)`,
      );
    }
    key = createGroupKey(account, action.group, action.name, group.id);
  }
}

async function perform(
  client: SquareClient,
  action: Action,
  createdGroups: ReadonlyMap<string, string>,
  createdCustomers: ReadonlyMap<string, string>,
): Promise<{ createdId?: string; note?: string }> {
  switch (action.type) {
    case "create_group":
      throw new TypeError("create_group goes through createGroupOnce");
    case "rename_group":
      await renameGroup(client, action.groupId, action.to);
      return {};
    case "create_customer":
      // Batched by applyPlan (BulkCreateCustomers); never one at a time.
      throw new TypeError("create_customer goes through createCustomers");
    case "add_member": {
      const groupId =
        "id" in action.groupRef ? action.groupRef.id : createdGroups.get(action.groupRef.created);
      const customerId =
        "id" in action.customer ? action.customer.id : createdCustomers.get(action.customer.created);
      if (groupId === undefined || customerId === undefined) throw new TypeError("unresolved reference");
      await addGroupToCustomer(client, customerId, groupId);
      return {};
    }
    case "remove_member":
      try {
        await removeGroupFromCustomer(client, action.customerId, action.groupId);
        return {};
      } catch (error) {
        // The profile or the group is gone: the membership is gone too, which is what was asked.
        if (error instanceof SquareApiError && error.status === 404)
          return { note: "already not a member (404)" };
        throw error;
      }
    case "delete_group":
      try {
        await deleteGroup(client, action.groupId);
        return {};
      } catch (error) {
        if (error instanceof SquareApiError && error.status === 404) return { note: "already deleted (404)" };
        throw error;
      }
  }
}

/** The address of a failed action this one needs, if any. */
function blockedBy(
  action: Action,
  results: ReadonlyMap<string, ActionResult>,
  failedGroupKeys: ReadonlySet<string>,
): string | undefined {
  if (action.type === "add_member") {
    if ("created" in action.groupRef && results.get(action.groupRef.created)?.status !== "done") {
      return action.groupRef.created;
    }
    if ("created" in action.customer && results.get(action.customer.created)?.status !== "done") {
      return action.customer.created;
    }
  }
  if (action.type === "create_customer" && failedGroupKeys.has(action.group)) return `group.${action.group}`;
  return undefined;
}

async function verify(
  client: SquareClient,
  plan: Plan,
  results: ReadonlyMap<string, ActionResult>,
  createdGroups: ReadonlyMap<string, string>,
  createdCustomers: ReadonlyMap<string, string>,
  progress: (event: ApplyProgressEvent) => void,
): Promise<VerifyMismatch[]> {
  const expected: Array<{ address: string; customerId: string; groupId: string; member: boolean }> = [];
  for (const action of plan.actions) {
    if (results.get(action.address)?.status !== "done") continue;
    if (action.type === "add_member") {
      const groupId =
        "id" in action.groupRef ? action.groupRef.id : createdGroups.get(action.groupRef.created);
      const customerId =
        "id" in action.customer ? action.customer.id : createdCustomers.get(action.customer.created);
      if (groupId !== undefined && customerId !== undefined) {
        expected.push({ address: action.address, customerId, groupId, member: true });
      }
    } else if (action.type === "remove_member") {
      expected.push({
        address: action.address,
        customerId: action.customerId,
        groupId: action.groupId,
        member: false,
      });
    }
  }
  if (expected.length === 0) return [];
  const ids = [...new Set(expected.map((e) => e.customerId))];
  let done = 0;
  const profiles = await bulkRetrieveCustomers(client, ids, {
    onBatch: (n) => progress({ phase: "verify", done: (done += n), total: ids.length }),
  });
  const mismatches: VerifyMismatch[] = [];
  for (const e of expected) {
    const profile = profiles.get(e.customerId);
    if (profile === undefined) {
      if (e.member)
        mismatches.push({
          ...withoutMember(e),
          message: `profile ${e.customerId} was not found after the apply`,
        });
      continue;
    }
    if ((profile.group_ids ?? []).includes(e.groupId) !== e.member) {
      mismatches.push({
        ...withoutMember(e),
        message: `profile ${e.customerId} is ${e.member ? "not " : "still "}in group ${e.groupId} after the apply`,
      });
    }
  }
  return mismatches;
}

function withoutMember(e: { address: string; customerId: string; groupId: string }) {
  return { address: e.address, customerId: e.customerId, groupId: e.groupId };
}

function describe(error: unknown): ActionError {
  if (error instanceof SquareError) {
    return {
      code: error.code,
      message: error.message,
      ...(error instanceof SquareApiError ? { status: error.status } : {}),
      ...(error instanceof SquareApiError && error.squareCode !== undefined
        ? { squareCode: error.squareCode }
        : {}),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    };
  }
  return { code: "GS_SQUARE_INTERNAL", message: error instanceof Error ? error.message : String(error) };
}

/** The profile a create_customer makes (Square's field names), marked as groupsync's. */
function newCustomer(action: CreateCustomerAction): SquareNewCustomer {
  return {
    ...(action.customer.email_address === undefined ? {} : { email_address: action.customer.email_address }),
    ...(action.customer.phone_number === undefined ? {} : { phone_number: action.customer.phone_number }),
    note: "Created by groupsync",
  };
}

/** Square's per-profile errors in a BulkCreateCustomers answer, as an action's error. */
function entryError(errors: readonly SquareErrorBody[]): ActionError {
  const first = errors[0];
  const code = first?.code ?? "UNKNOWN";
  return {
    code: "GS_SQUARE_BAD_REQUEST",
    message: `BulkCreateCustomers refused this profile: ${code}${first?.detail === undefined ? "" : `: ${first.detail}`}`,
    squareCode: code,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
