import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildGroupFilter, matchesGroupFilter } from "./membership-filter.js";

describe("buildGroupFilter", () => {
  it.each([
    [["A", "B"], "all", [], { all: ["A", "B"] }],
    [["A", "B"], "any", ["C"], { any: ["A", "B"], none: ["C"] }],
    [[], "all", ["C", "C"], { none: ["C"] }],
    [["A", "A"], "all", [], { all: ["A"] }],
  ] as const)("%j %s not %j -> %j", (include, mode, exclude, expected) => {
    expect(buildGroupFilter(include, mode, exclude)).toEqual(expected);
  });
});

describe("matchesGroupFilter", () => {
  const id = fc.constantFrom("A", "B", "C", "D");
  it("agrees with set logic: in every (all) or some (any) listed group, in no excluded one", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(id),
        fc.uniqueArray(id),
        fc.constantFrom("all" as const, "any" as const),
        fc.uniqueArray(id),
        (member, include, mode, exclude) => {
          const inListed =
            include.length === 0 ||
            (mode === "all"
              ? include.every((g) => member.includes(g))
              : include.some((g) => member.includes(g)));
          const expected = inListed && !exclude.some((g) => member.includes(g));
          expect(matchesGroupFilter(member, buildGroupFilter(include, mode, exclude))).toBe(expected);
        },
      ),
    );
  });

  it("treats a profile without group_ids as in no group", () => {
    expect(matchesGroupFilter(undefined, { none: ["A"] })).toBe(true);
    expect(matchesGroupFilter(undefined, { any: ["A"] })).toBe(false);
  });
});
