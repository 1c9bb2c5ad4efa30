import {
  ACTION_ORDER,
  type Action,
  type ActionType,
  type CreateCustomerAction,
  type Plan,
} from "@groupsync/core";
import {
  describeError,
  entryError,
  type ActionError,
  type ActionResult,
  type ApplyProgressEvent,
  type ApplyResult,
  type VerifyMismatch,
} from "./apply-result.js";
import { checkPreconditions } from "./check-preconditions.js";
import type { SquareClient } from "./client.js";
import { BULK_CREATE_MAX, bulkCreateCustomers } from "./customers-api.js";
import { SquareAbortedError, SquareAuthError, SquareStalePlanError } from "./errors.js";
import { createCustomerKey, idempotencyAccount } from "./idempotency-keys.js";
import { createGroupOnce, perform } from "./perform-action.js";
import { runPool } from "./run-pool.js";
import type { SquareNewCustomer } from "./square-types.js";
import { verifyApply } from "./verify-apply.js";

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
      const described = describeError(error);
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
      const described = describeError(error);
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
      mismatches = await verifyApply(client, plan, results, createdGroups, createdCustomers, progress);
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

/** The profile a create_customer makes (Square's field names), marked as groupsync's. */
function newCustomer(action: CreateCustomerAction): SquareNewCustomer {
  return {
    ...(action.customer.email_address === undefined ? {} : { email_address: action.customer.email_address }),
    ...(action.customer.phone_number === undefined ? {} : { phone_number: action.customer.phone_number }),
    note: "Created by groupsync",
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
