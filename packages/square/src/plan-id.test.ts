import type { Plan } from "@groupsync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, planId } from "./plan-id.js";

const plan = (actions: Plan["actions"]): Plan => ({
  formatVersion: 2,
  actions,
  groups: [],
  rules: [],
  warnings: [],
  errors: [],
  summary: { create: actions.length, rename: 0, createCustomer: 0, add: 0, remove: 0, delete: 0 },
  safety: { massRemovals: [], deletes: 0 },
});

describe("planId", () => {
  it("does not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    const a = plan([{ type: "create_group", address: "group.vip", group: "vip", name: "VIP" }]);
    const b = JSON.parse('{"safety":{"deletes":0,"massRemovals":[]},' + JSON.stringify(a).slice(1)) as Plan;
    expect(planId(b)).toBe(planId(a));
    expect(planId(a)).toMatch(/^[0-9a-f]{64}$/);
  });
  it("changes with any content", () => {
    const a = plan([{ type: "create_group", address: "group.vip", group: "vip", name: "VIP" }]);
    const b = plan([{ type: "create_group", address: "group.vip", group: "vip", name: "VIP2" }]);
    expect(planId(a)).not.toBe(planId(b));
  });
  it("writes what a recursive canonical writer writes, for any JSON value", () => {
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
      if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(",")}}`;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
    // Keys JavaScript treats apart: "__proto__" (an own key in parsed JSON) and index-like keys.
    for (const text of [
      '{"__proto__":{"b":1,"a":2},"z":0}',
      '{"b":{"10":1,"9":2,"":3},"a":[{"__proto__":null}]}',
    ]) {
      const value: unknown = JSON.parse(text);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });
});
