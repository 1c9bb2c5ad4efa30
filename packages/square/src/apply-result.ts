// What an apply reports, action by action, and the errors in it as data.
import type { ActionType } from "@groupsync/core";
import { SquareApiError, SquareError, type ActionErrorCode } from "./errors.js";
import type { SquareErrorBody } from "./square-types.js";

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

/** A thrown error as an action's error: its code, message, status and hint; never its stack. */
export function describeError(error: unknown): ActionError {
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

/** Square's per-profile errors in a BulkCreateCustomers answer, as an action's error. */
export function entryError(errors: readonly SquareErrorBody[]): ActionError {
  const first = errors[0];
  const code = first?.code ?? "UNKNOWN";
  return {
    code: "GS_SQUARE_BAD_REQUEST",
    message: `BulkCreateCustomers refused this profile: ${code}${first?.detail === undefined ? "" : `: ${first.detail}`}`,
    squareCode: code,
  };
}
