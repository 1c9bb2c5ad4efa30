import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { desired, email, group, live, liveGroup } from "../test/support/builders.js";
import { diff } from "./diff.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderMarkdownParts } from "./render-markdown-parts.js";
import type { Plan } from "./types.js";

/** A plan adding `n` members to each of `groups` new groups, by long emails (profiles created). */
function bigPlan(groups: number, n: number, local = 60): Plan {
  const config = desired(
    Array.from({ length: groups }, (_, g) =>
      group(`g${g}`, {
        missing: "create",
        rules: Array.from({ length: n }, (_, i) => email(`${"x".repeat(local)}.${g}.${i}@example.com`)),
      }),
    ),
  );
  return diff(config, live([]));
}

/** The lines of the diff blocks of every part, in order, without the continuation headers. */
function detailLines(parts: readonly string[]): string[] {
  return parts.flatMap((part) => {
    const lines = part.split("\n");
    const open = lines.findIndex((l) => /^`{3,}diff$/.test(l));
    const close = lines.lastIndexOf(lines[open]?.replace(/diff$/, "") ?? "");
    return lines.slice(open + 1, close).filter((l) => !/^\s*# group\.\S+ \(continued\)$/.test(l) && l !== "");
  });
}

function wholeDetails(plan: Plan): string[] {
  return detailLines([renderMarkdown(plan, { maxLength: 10_000_000 })]);
}

describe("renderMarkdownParts", () => {
  it("is renderMarkdown's one comment when the plan fits", () => {
    const plan = bigPlan(2, 3);
    expect(renderMarkdownParts(plan)).toEqual([renderMarkdown(plan)]);
    const none = diff(desired([group("vip", { name: "VIP" })]), live([liveGroup("G1", "VIP")]));
    expect(renderMarkdownParts(none)).toEqual(["**No changes.**\n"]);
  });

  it("splits 1,200 long-email adds into parts under the limit, the summary first, no line dropped", () => {
    const plan = bigPlan(1, 1200);
    const parts = renderMarkdownParts(plan);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(65_535);
    expect(parts[0]?.split("\n")[0]).toBe(
      "**Plan: 1 to create, 0 to rename, 1200 to add, 0 to remove, 1200 profiles to create.**",
    );
    expect(parts[0]).toContain(`<summary>Details: 2401 actions (part 1 of ${parts.length})</summary>`);
    expect(parts[1]?.split("\n")[0]).toBe(`**groupsync plan, part 2 of ${parts.length}** (continued)`);
    // The group is longer than one part: its continuation says whose lines follow.
    expect(parts[1]).toMatch(/```diff\n {2}# group\.g0 \(continued\)\n/);
    expect(detailLines(parts)).toEqual(wholeDetails(plan));
  });

  it("splits between groups when each fits in a part", () => {
    const plan = bigPlan(6, 150);
    const parts = renderMarkdownParts(plan, { maxLength: 30_000 });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(30_000);
      expect(part).not.toMatch(/# group\.\S+ \(continued\)/);
      // Each part's details start at a group's header (the first: after the preamble).
      expect(part).toMatch(
        /```diff\n(groupsync will perform the following actions:\n\n)? {2}# group\.g\d+ will be created\n/,
      );
    }
    expect(detailLines(parts)).toEqual(wholeDetails(plan));
  });

  it("keeps every line in exactly one part for any size and limit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 2000, max: 12_000 }),
        (groups, n, local, maxLength) => {
          const plan = bigPlan(groups, n, local);
          const parts = renderMarkdownParts(plan, { maxLength });
          for (const part of parts) expect(part.length).toBeLessThanOrEqual(maxLength);
          expect(parts[0]?.startsWith("**Plan: ")).toBe(true);
          expect(detailLines(parts)).toEqual(wholeDetails(plan));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses a limit too small for a part", () => {
    expect(() => renderMarkdownParts(bigPlan(1, 1), { maxLength: 100 })).toThrow(RangeError);
  });
});
