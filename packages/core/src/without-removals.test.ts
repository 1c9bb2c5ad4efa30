import { describe, expect, it } from "vitest";
import { desired, email, group, live, liveGroup, profile } from "../test/support/builders.js";
import { diff } from "./diff.js";
import { parsePlanJson } from "./parse-plan-json.js";
import { renderJson } from "./render-json.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderText } from "./render-text.js";
import { withoutRemovals } from "./without-removals.js";

// Issue 19: `--no-removals` keeps removals out of the plan and lists them.
describe("withoutRemovals", () => {
  // vip: adds ada, removes eve and mal; gold (no rules: a mass removal) only removes zed; "Old"
  // is unmanaged (deleted).
  const state = live(
    [liveGroup("G1", "VIP"), liveGroup("G2", "Gold"), liveGroup("G9", "Old")],
    [
      profile("C1", { emailAddress: "ada@example.com" }),
      profile("C2", { emailAddress: "eve@example.net", groupIds: ["G1"] }),
      profile("C3", { emailAddress: "mal@example.net", groupIds: ["G1"] }),
      profile("C4", { emailAddress: "zed@example.net", groupIds: ["G2", "G9"] }),
    ],
  );
  const entries = [
    group("vip", { name: "VIP", rules: [email("ada@example.com")] }),
    group("gold", { name: "Gold" }),
  ];
  const full = diff(desired(entries, { unmanagedGroups: "delete" }), state);
  const plan = withoutRemovals(full);

  it("moves remove_member and delete_group actions to kept, in their order", () => {
    expect(full.actions.map((a) => a.type)).toEqual([
      "add_member",
      "remove_member",
      "remove_member",
      "remove_member",
      "delete_group",
    ]);
    expect(plan.actions.map((a) => a.address)).toEqual(['member.vip["ada@example.com"]']);
    expect(plan.kept?.reason).toBe("no_removals");
    expect(plan.kept?.actions).toEqual(full.actions.slice(1));
    expect(plan.summary).toEqual({ ...full.summary, remove: 0, delete: 0 });
  });

  it("counts what is left: member totals, safety, preconditions", () => {
    expect(full.safety.massRemovals).not.toEqual([]);
    expect(plan.safety).toMatchObject({ massRemovals: [], deletes: 0, deletedGroups: [] });
    expect(plan.groups.map((g) => [g.group, g.liveMembers, g.desiredMembers])).toEqual([
      ["vip", 2, 3],
      ["gold", 1, 1],
    ]);
    expect(plan.preconditions?.groups.map((g) => g.groupId)).toEqual(["G1"]);
    expect(plan.preconditions?.memberships).toEqual([{ customerId: "C1", groupId: "G1", member: false }]);
  });

  it("returns a plan without removals as it is", () => {
    const adds = diff(
      desired([entries[0]!]),
      live([liveGroup("G1", "VIP")], [profile("C1", { emailAddress: "ada@example.com" })]),
    );
    expect(withoutRemovals(adds)).toBe(adds);
  });

  it("is listed in text, with the summary saying what is kept, by the caller's switch", () => {
    const text = renderText(plan, { overrides: { noRemovals: "--no-removals" } });
    expect(text).toContain("  eve@example.net [C2]  kept: --no-removals (no rule matches)");
    expect(text).toContain(
      '  # group["G9"] kept: --no-removals (not in groups.yaml, unmanaged_groups: delete)',
    );
    expect(text).not.toMatch(/^\s+- /m);
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "Plan: 0 to create, 0 to rename, 1 to add, 0 to remove. Kept by --no-removals: 3 removals, 1 deletion.",
    );
    // Core names no CLI flag of its own.
    const plain = renderText(plan);
    expect(plain).not.toContain("--");
    expect(plain).toContain("  eve@example.net [C2]  kept: removals held back (no rule matches)");
    expect(plain.trimEnd().split("\n").at(-1)).toBe(
      "Plan: 0 to create, 0 to rename, 1 to add, 0 to remove. Kept: 3 removals, 1 deletion.",
    );
  });

  it("says No changes. when only removals were pending", () => {
    const only = withoutRemovals(diff(desired([entries[1]!]), state));
    const overrides = { noRemovals: "--no-removals" };
    expect(only.actions).toEqual([]);
    expect(renderText(only, { overrides })).toContain("zed@example.net [C4]  kept: --no-removals");
    expect(renderText(only, { overrides }).trimEnd().split("\n").at(-1)).toBe(
      "No changes. Kept by --no-removals: 1 removal.",
    );
    const markdown = renderMarkdown(only, { overrides });
    expect(markdown.split("\n")[0]).toBe("**No changes. Kept by --no-removals: 1 removal.**");
    expect(markdown).toContain("Details: 0 actions, 1 kept");
    expect(markdown).toContain("z***@e***.net [C4]  kept: --no-removals");
  });

  it("is in the JSON, masked like other removals, and reads back", () => {
    const json = renderJson(plan);
    const document = JSON.parse(json) as { kept: { reason: string; actions: { identity?: object }[] } };
    expect(document.kept.reason).toBe("no_removals");
    expect(document.kept.actions.map((a) => a.identity)).toContainEqual({
      email: "e***@e***.net",
      inFile: false,
    });
    const back = parsePlanJson(json);
    expect(back.ok && back.plan.kept?.actions).toHaveLength(4);
  });

  it("a kept action that is not a removal, or also an action, is refused on reading", () => {
    const document = JSON.parse(renderJson(plan)) as { actions: unknown[]; kept: { actions: unknown[] } };
    const added = { ...document, kept: { reason: "no_removals", actions: [document.actions[0]] } };
    expect(parsePlanJson(JSON.stringify(added))).toMatchObject({
      ok: false,
      error: expect.stringContaining("only removals are kept, not add_member"),
    });
    const removal = document.kept.actions[0];
    const summary = { ...plan.summary, remove: 1 };
    const twice = { ...document, summary, actions: [...document.actions, removal] };
    expect(parsePlanJson(JSON.stringify(twice))).toMatchObject({
      ok: false,
      error: expect.stringContaining("is also an action"),
    });
  });
});
