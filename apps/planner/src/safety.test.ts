import type { Plan } from "@groupsync/core";
import { describe, expect, it } from "vitest";
import { checkSafety } from "./safety.js";

function planWith(safety: Plan["safety"]): Plan {
  return {
    formatVersion: 2,
    actions: [],
    groups: [],
    rules: [],
    warnings: [],
    errors: [],
    summary: { create: 0, rename: 0, createCustomer: 0, add: 0, remove: 0, delete: 0 },
    safety,
  };
}

const mass = planWith({ massRemovals: [{ group: "vip", removing: 12, liveMembers: 20 }], deletes: 0 });
const deletes = planWith({ massRemovals: [], deletes: 2 });
const bigDelete = planWith({
  massRemovals: [{ group: 'group["G2"]', removing: 36, liveMembers: 36, reason: "delete" }],
  deletes: 1,
  deletedGroups: [{ groupId: "G2", name: "Old List", liveMembers: 36 }],
});
const none = { massRemoval: false, delete: false };

describe("checkSafety", () => {
  it("passes a plan without mass removals or deletes", () => {
    expect(() => checkSafety(planWith({ massRemovals: [], deletes: 0 }), none)).not.toThrow();
  });

  it.each([
    [mass, none, 'it removes 12 of the 20 members of group "vip"', "--allow-mass-removal"],
    [deletes, none, "it deletes 2 groups", "--allow-delete"],
    [deletes, { massRemoval: true, delete: false }, "it deletes 2 groups", "--allow-delete"],
    [
      bigDelete,
      { massRemoval: false, delete: true },
      'deleting group["G2"] "Old List" removes its 36 members',
      "--allow-mass-removal",
    ],
    [
      bigDelete,
      { massRemoval: true, delete: false },
      "it deletes 1 group holding 36 members",
      "--allow-delete",
    ],
  ])("refuses with the figures and the flag to pass", (plan, allow, message, flag) => {
    expect(() => checkSafety(plan, allow)).toThrowError(
      expect.objectContaining({ code: "GS_CLI_PLAN_REFUSED" }),
    );
    try {
      checkSafety(plan, allow);
    } catch (error) {
      expect((error as Error).message).toContain(message);
      expect((error as { hint: string }).hint).toContain(flag);
    }
  });

  it("lets each guard be lifted by its own flag", () => {
    expect(() => checkSafety(mass, { massRemoval: true, delete: false })).not.toThrow();
    expect(() => checkSafety(deletes, { massRemoval: false, delete: true })).not.toThrow();
  });
});
