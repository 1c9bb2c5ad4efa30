import { CUSTOMER_OPERATIONS } from "./operations/customer-operations.js";
import { GROUP_OPERATIONS } from "./operations/group-operations.js";
import type { Operation } from "./operations/operation.js";

export { MAX_BULK_RETRIEVE } from "./operations/customer-operations.js";
export { MAX_GROUP_NAME_LENGTH } from "./operations/group-operations.js";
export type { Operation, OperationContext, OperationResult } from "./operations/operation.js";

/**
 * The operations of DESIGN.md §1 and square-api/README.md, at Square's paths. Groups first:
 * `GET /v2/customers/groups` must not be read as RetrieveCustomer of a profile "groups".
 */
export const OPERATIONS: readonly Operation[] = [...GROUP_OPERATIONS, ...CUSTOMER_OPERATIONS];

// Path patterns split once, not on every request.
const ROUTES = OPERATIONS.map((operation) => ({ operation, pattern: operation.path.split("/") }));

/** The operation serving `method` + `pathname`, with its path parameters; undefined: no route. */
export function matchOperation(
  method: string,
  pathname: string,
): { operation: Operation; params: Record<string, string> } | undefined {
  const parts = pathname.replace(/\/+$/, "").split("/");
  for (const { operation, pattern } of ROUTES) {
    if (operation.method !== method) continue;
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i] as string;
      const v = parts[i] as string;
      if (p.startsWith(":")) {
        if (v === "") ok = false;
        else params[p.slice(1)] = decodeURIComponent(v);
      } else if (p !== v) ok = false;
    }
    if (ok) return { operation, params };
  }
  return undefined;
}
