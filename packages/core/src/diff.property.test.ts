import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../test/support/apply-plan.js";
import { desired, domain, email, group, live, liveGroup, profile } from "../test/support/builders.js";
import { diff, prepareDiff } from "./diff.js";
import { buildRuleBuckets, createRuleBuckets, type RuleBuckets } from "./live-index.js";
import { resolveGroupIds } from "./match-groups.js";
import { groupNameKey } from "./normalize.js";
import { parsePlanJson } from "./parse-plan-json.js";
import { renderJson } from "./render-json.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderText } from "./render-text.js";
import { rulesNeedingLookup } from "./rules-needing-lookup.js";
import type { DesiredGroup, DesiredState, LiveGroup, LiveProfile, LiveState, Rule } from "./types.js";

// Small pools so that generated worlds collide often: shared emails, names differing in case,
// phones stored in several formats, groups matched by name, previously and id.
const EMAILS = ["ada@example.com", "bob@example.com", "eve@example.org", "amy@example.org", "zed@other.net"];
const PHONES: Array<[string, string[]]> = [
  ["+14155550100", ["+14155550100", "(415) 555-0100", "+1 415-555-0100"]],
  ["+14155550101", ["+14155550101", "415.555.0101"]],
  ["+442079460958", ["+44 20 7946 0958"]],
];
const NAMES = ["Alpha", "alpha", " Beta ", "Gamma", "Delta", "delta  x", "Delta X"];
const DATES = [
  "2020-01-01T00:00:00Z",
  "2020-01-01T00:00:00.000Z",
  "2021-05-05T12:00:00+02:00",
  "2019-12-31T23:59:59Z",
];

const profilesArb = (groupIds: string[]): fc.Arbitrary<LiveProfile[]> =>
  fc
    .array(
      fc.record({
        email: fc.option(
          fc.constantFrom(...EMAILS).chain((e) => fc.constantFrom(e, e.toUpperCase(), ` ${e}`)),
        ),
        phone: fc.option(fc.constantFrom(...PHONES).chain(([, formats]) => fc.constantFrom(...formats))),
        createdAt: fc.constantFrom(...DATES),
        groups: fc.subarray(groupIds),
      }),
      { maxLength: 12 },
    )
    .map((rows) =>
      rows.map((r, i) => ({
        id: `C${i}`,
        createdAt: r.createdAt,
        groupIds: r.groups,
        ...(r.email === null ? {} : { emailAddress: r.email }),
        ...(r.phone === null ? {} : { phoneNumber: r.phone }),
      })),
    );

const ruleArb = (profileCount: number): fc.Arbitrary<Rule> =>
  fc.oneof(
    fc.constantFrom(...EMAILS, "new@example.org").map((value): Rule => ({ kind: "email", value })),
    fc
      .constantFrom(...PHONES.map(([e164]) => e164), "+14155550199")
      .map((value): Rule => ({ kind: "phone", value })),
    fc
      .constantFrom("example.com", "example.org", "nowhere.io")
      .map((value): Rule => ({ kind: "email_domain", value })),
    fc.integer({ min: 0, max: profileCount + 1 }).map((i): Rule => ({ kind: "customer_id", value: `C${i}` })),
  );

const worldArb: fc.Arbitrary<{ desired: DesiredState; live: LiveState }> = fc
  .array(fc.constantFrom(...NAMES), { maxLength: 4 })
  .chain((liveNames) => {
    const groups: LiveGroup[] = liveNames.map((name, i) => ({ id: `G${i}`, name }));
    return fc.record({
      groups: fc.constant(groups),
      profiles: profilesArb(groups.map((g) => g.id)),
    });
  })
  .chain((live) =>
    fc.record({
      live: fc.constant<LiveState>(live),
      desired: fc.record({
        country: fc.constant("US"),
        unmanagedGroups: fc.constantFrom("ignore" as const, "delete" as const),
        groups: fc
          .uniqueArray(fc.constantFrom(...NAMES), { selector: groupNameKey, maxLength: 4 })
          .chain((names) =>
            fc.tuple(
              ...names.map((name, i) =>
                fc.record({
                  key: fc.constant(`k${i}`),
                  name: fc.constant(name.trim()),
                  previously: fc.subarray(NAMES, { maxLength: 2 }),
                  pin: fc.option(fc.constantFrom(...live.groups.map((g) => g.id), "G-missing"), { freq: 4 }),
                  membership: fc.constantFrom("authoritative" as const, "additive" as const),
                  match: fc.constantFrom("one" as const, "all" as const),
                  missing: fc.constantFrom("skip" as const, "error" as const, "create" as const),
                  rules: fc.uniqueArray(ruleArb(live.profiles.length), {
                    selector: (r) => `${r.kind}:${r.value}`,
                    maxLength: 5,
                  }),
                }),
              ),
            ),
          )
          .map((entries) =>
            entries.map(({ pin, ...g }): DesiredGroup => (pin === null ? g : { ...g, id: pin })),
          ),
      }),
    }),
  );

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("group by group reading (as @groupsync/square reads)", () => {
  it("resolveGroupIds resolves every entry as diff does", () => {
    fc.assert(
      fc.property(worldArb, ({ desired, live }) => {
        expect(resolveGroupIds(desired, live.groups)).toEqual(
          diff(desired, live).groups.map((g) => g.groupId),
        );
      }),
      { numRuns: 400 },
    );
  });

  it("the look-ups of each group, from its own members alone, are those of the whole account", () => {
    const keys = (rules: readonly { rule: Rule }[]) =>
      [...new Set(rules.map(({ rule }) => `${rule.kind}:${rule.value}`))].sort();
    fc.assert(
      fc.property(worldArb, ({ desired, live }) => {
        const ids = resolveGroupIds(desired, live.groups);
        const perGroup: { rule: Rule }[] = [];
        for (const [i, entry] of desired.groups.entries()) {
          const id = ids[i];
          if (id === undefined) {
            perGroup.push(...entry.rules.map((rule) => ({ rule })));
            continue;
          }
          const claiming = desired.groups.filter((_, j) => ids[j] === id);
          const members = live.profiles.filter((p) => p.groupIds.includes(id));
          const group = live.groups.filter((g) => g.id === id);
          perGroup.push(
            ...rulesNeedingLookup({ ...desired, groups: claiming }, { groups: group, profiles: members }),
          );
        }
        expect(keys(perGroup)).toEqual(keys(rulesNeedingLookup(desired, live)));
      }),
      { numRuns: 400 },
    );
  });
});

describe("prepareDiff (profiles added as their pages arrive)", () => {
  it("fed group by group, then the remaining profiles, plans exactly what diff plans", () => {
    fc.assert(
      fc.property(worldArb, fc.integer(), ({ desired, live }, seed) => {
        const prepared = prepareDiff(desired, live.groups);
        const added = new Set<string>();
        const add = (p: LiveProfile): void => {
          if (added.has(p.id)) return;
          added.add(p.id);
          prepared.add(p);
        };
        for (const group of shuffled(live.groups, seed)) {
          for (const p of live.profiles) if (p.groupIds.includes(group.id)) add(p);
        }
        for (const p of shuffled(live.profiles, seed ^ 0x2545f491)) add(p);
        expect(renderJson(prepared.plan(), { redact: false })).toBe(
          renderJson(diff(desired, live), { redact: false }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("with rule buckets built ahead in steps of any size, plans exactly what diff plans", () => {
    fc.assert(
      fc.property(
        worldArb,
        fc.integer({ min: 1, max: 7 }),
        fc.integer(),
        ({ desired, live }, stepSize, seed) => {
          const work =
            desired.groups.reduce((n, g) => n + g.rules.length, 0) +
            new Set(desired.groups.flatMap((g) => g.rules.map((r) => `${r.kind}\0${r.value}`))).size;
          const steps = buildRuleBuckets(desired, stepSize);
          let yields = 0;
          let rules: RuleBuckets | undefined;
          while (rules === undefined) {
            const step = steps.next();
            if (step.done === true) rules = step.value;
            else yields++;
          }
          expect(yields).toBe(Math.floor(work / stepSize));
          const prepared = prepareDiff(desired, live.groups, rules);
          for (const p of shuffled(live.profiles, seed)) prepared.add(p);
          expect(renderJson(prepared.plan(), { redact: false })).toBe(
            renderJson(diff(desired, live), { redact: false }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses rule buckets of another desired state, and ones that serve a diff already", () => {
    const state = desired([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]);
    const rules = createRuleBuckets(state);
    expect(() => prepareDiff(desired([]), [], rules)).toThrow(/another desired state/);
    prepareDiff(state, [], rules);
    expect(() => prepareDiff(state, [], rules)).toThrow(/serve another diff/);
  });

  it("lookupsFor a group, once its members are added, is rulesNeedingLookup of its own members", () => {
    const keys = (rules: readonly Rule[]) => rules.map((r) => `${r.kind}:${r.value}`);
    fc.assert(
      fc.property(worldArb, fc.integer(), ({ desired, live }, seed) => {
        const ids = resolveGroupIds(desired, live.groups);
        const prepared = prepareDiff(desired, live.groups);
        const added = new Set<string>();
        for (const group of shuffled(live.groups, seed)) {
          if (!ids.includes(group.id)) continue;
          const members = live.profiles.filter((p) => p.groupIds.includes(group.id));
          for (const p of members) {
            if (added.has(p.id)) continue;
            added.add(p.id);
            prepared.add(p);
          }
          const claiming = desired.groups.filter((_, j) => ids[j] === group.id);
          const expected = rulesNeedingLookup(
            { ...desired, groups: claiming },
            { groups: [group], profiles: members },
          ).map((n) => n.rule);
          expect(keys(prepared.lookupsFor(group.id))).toEqual(keys(expected));
        }
      }),
      { numRuns: 400 },
    );
  });

  it("lookupsFor names a rule listed twice once, and a satisfied one not at all", () => {
    const rules = [email("ada@example.com"), email("bob@example.com"), email("ada@example.com")];
    const prepared = prepareDiff(desired([group("vip", { name: "VIP", rules })]), [liveGroup("G1", "VIP")]);
    prepared.add(profile("C1", { groupIds: ["G1"], emailAddress: "Bob@Example.com" }));
    expect(prepared.lookupsFor("G1")).toEqual([email("ada@example.com")]);
    expect(prepared.lookupsFor("G-other")).toEqual([]);
  });

  it("settled at any time, group by group or before a group is complete, plans exactly what diff plans", () => {
    let resolvedEarly = 0;
    fc.assert(
      fc.property(worldArb, fc.boolean(), fc.integer(), ({ desired: world, live }, noCreations, seed) => {
        const desired: DesiredState = noCreations
          ? {
              ...world,
              groups: world.groups.map((g) =>
                g.missing === "create" ? { ...g, missing: "skip" as const } : g,
              ),
            }
          : world;
        const prepared = prepareDiff(desired, live.groups);
        let state = seed >>> 0;
        const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
        const added = new Set<string>();
        const add = (p: LiveProfile): void => {
          if (added.has(p.id)) return;
          added.add(p.id);
          prepared.add(p);
          // A settle too early: the group's members or its rules' matches change after it.
          const early = live.groups[next() % Math.max(1, live.groups.length)];
          if (next() % 3 === 0 && early !== undefined) resolvedEarly += prepared.settle(early.id);
        };
        for (const group of shuffled(live.groups, seed)) {
          for (const p of live.profiles) if (p.groupIds.includes(group.id)) add(p);
          resolvedEarly += prepared.settle(group.id);
        }
        for (const p of shuffled(live.profiles, seed ^ 0x2545f491)) add(p);
        expect(renderJson(prepared.plan(), { redact: false })).toBe(
          renderJson(diff(desired, live), { redact: false }),
        );
      }),
      { numRuns: 500 },
    );
    expect(resolvedEarly).toBeGreaterThan(20);
  });

  it("settle resolves an entry whose rules each match one profile, unless a group creates profiles", () => {
    const rules = [email("ada@example.com"), email("bob@example.com")];
    const groups = [liveGroup("G1", "VIP"), liveGroup("G2", "Other")];
    const profiles = [
      profile("C1", { groupIds: ["G1"], emailAddress: "ada@example.com" }),
      profile("C2", { groupIds: ["G1"], emailAddress: "zed@example.com" }),
      profile("C3", { groupIds: ["G2"], emailAddress: "bob@example.com" }),
    ];
    const vip = desired([group("vip", { name: "VIP", rules })]);
    const settled = prepareDiff(vip, groups);
    for (const p of profiles) settled.add(p);
    expect(settled.settle("G1")).toBe(1);
    expect(settled.settle("G1")).toBe(0); // once
    // A second bob turns up after (a look-up, say): the entry is resolved again, bob ambiguous.
    const bob2 = profile("C4", { emailAddress: "Bob@Example.com", createdAt: "2019-01-01T00:00:00Z" });
    settled.add(bob2);
    const plan = settled.plan();
    expect(plan.warnings.map((w) => w.code)).toEqual(["GS_CORE_DUPLICATE_PROFILES"]);
    expect(plan).toEqual(diff(vip, live(groups, [...profiles, bob2])));
    expect(settled.settle("G1")).toBe(0); // after plan()

    const unmatched = prepareDiff(
      desired([group("vip", { name: "VIP", rules: [...rules, email("eve@example.org")] })]),
      groups,
    );
    for (const p of profiles) unmatched.add(p);
    expect(unmatched.settle("G1")).toBe(0); // eve matches nothing yet: she is looked up next

    const twice = prepareDiff(vip, groups);
    for (const p of [...profiles, bob2]) twice.add(p);
    expect(twice.settle("G1")).toBe(0); // bob matches two profiles: oldest first is decided by plan()

    // A profile created for another group counts for this group's domain rule: no early resolution.
    const creating = desired([
      group("vip", { name: "VIP", rules: [domain("example.com")] }),
      group("new", { name: "New", missing: "create", rules: [email("new@example.com")] }),
    ]);
    const withCreations = prepareDiff(creating, groups);
    const one = [profiles[0] as LiveProfile];
    for (const p of one) withCreations.add(p);
    expect(withCreations.settle("G1")).toBe(0);
    const created = withCreations.plan();
    expect(created.actions.map((a) => a.type)).toEqual([
      "create_group",
      "create_customer",
      "add_member",
      "add_member",
    ]);
    expect(created).toEqual(diff(creating, live(groups, one)));
  });

  it("refuses a profile after plan(), and a second plan()", () => {
    const prepared = prepareDiff(desired([]), []);
    prepared.plan();
    expect(() => prepared.add(profile("C1"))).toThrow(/after finish/);
    expect(() => prepared.plan()).toThrow(/twice/);
  });
});

describe("diff properties", () => {
  it("applying a plan without errors converges: the next plan has no actions", () => {
    fc.assert(
      fc.property(worldArb, ({ desired, live }) => {
        const plan = diff(desired, live);
        fc.pre(plan.errors.length === 0);
        const next = diff(desired, applyPlan(plan, live));
        expect(next.actions).toEqual([]);
        expect(next.errors).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it("is deterministic: shuffling the live state gives a byte-identical plan", () => {
    fc.assert(
      fc.property(worldArb, fc.integer(), ({ desired, live }, seed) => {
        const reordered: LiveState = {
          groups: shuffled(live.groups, seed),
          profiles: shuffled(live.profiles, seed ^ 0x5bd1e995),
        };
        const a = renderJson(diff(desired, live), { redact: false });
        expect(renderJson(diff(desired, reordered), { redact: false })).toBe(a);
        expect(renderJson(diff(desired, live), { redact: false })).toBe(a);
      }),
      { numRuns: 300 },
    );
  });

  it("every plan survives renderJson -> parsePlanJson unchanged, and renders as text and markdown", () => {
    fc.assert(
      fc.property(worldArb, ({ desired, live }) => {
        const plan = diff(desired, live);
        const text = renderJson(plan, { redact: false });
        const parsed = parsePlanJson(text);
        expect(parsed).toMatchObject({ ok: true });
        if (parsed.ok) expect(renderJson(parsed.plan, { redact: false })).toBe(text);
        expect(renderText(plan)).toMatch(/(No changes\.|Plan: .*\.|nothing can be applied\.)\n$/);
        expect(renderMarkdown(plan).length).toBeLessThanOrEqual(65_535);
      }),
      { numRuns: 200 },
    );
  });

  it("additive mode never removes a member", () => {
    fc.assert(
      fc.property(worldArb, ({ desired, live }) => {
        const additive: DesiredState = {
          ...desired,
          groups: desired.groups.map((g) => ({ ...g, membership: "additive" })),
        };
        const plan = diff(additive, live);
        expect(plan.actions.filter((a) => a.type === "remove_member")).toEqual([]);
        expect(plan.safety.massRemovals).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
