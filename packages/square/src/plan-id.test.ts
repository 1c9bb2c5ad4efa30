import type { Plan } from "@groupsync/core";
import { describe, expect, it } from "vitest";
import { canonicalJson, planId } from "./plan-id.js";

const plan = (actions: Plan["actions"]): Plan => ({
  formatVersion: 1,
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
});
