import { createHash } from "node:crypto";
import type { Plan } from "@groupsync/core";

/**
 * JSON with object keys sorted at every level and no whitespace, so that equal plans give equal
 * bytes whatever order their keys were built in. `undefined` members are left out, as
 * JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    return text === undefined ? "null" : text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== "function")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The plan's identity: sha256 (hex) of its canonical JSON. Idempotency keys derive from it. */
export function planId(plan: Plan): string {
  return createHash("sha256").update(canonicalJson(plan)).digest("hex");
}
