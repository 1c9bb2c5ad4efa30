import { describe, expect, it } from "vitest";
import { generateWorkload } from "../bench/generate.mjs";
import { diff } from "../src/diff.js";
import { rulesNeedingLookup } from "../src/rules-needing-lookup.js";
import { applyPlan } from "./support/apply-plan.js";

// The benchmark's workload at 1/40 scale: its drift is what the plan finds, and one apply converges.
describe("benchmark workload, small", () => {
  const { desired, live, rules } = generateWorkload({ profiles: 25_000, groups: 100, rulesPerGroup: 200 });

  it("plans exactly the 1% drift and converges after one apply", () => {
    expect(rules).toBe(20_000);
    const plan = diff(desired, live);
    expect(plan.errors).toEqual([]);
    expect(plan.summary).toEqual({
      create: 0,
      rename: 0,
      createCustomer: 0,
      add: 200,
      remove: 200,
      delete: 0,
    });
    expect(plan.safety.massRemovals).toEqual([]);
    const after = applyPlan(plan, live);
    expect(diff(desired, after).actions).toEqual([]);
    expect(rulesNeedingLookup(desired, after)).toEqual([]);
  });

  it("needs look-ups for exactly the rules whose profile left its group", () => {
    expect(rulesNeedingLookup(desired, live)).toHaveLength(200);
  });
});
