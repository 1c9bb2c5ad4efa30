import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../test/support/apply-plan.js";
import { desired, email, group, live, liveGroup, profile } from "../test/support/builders.js";
import { diff } from "./diff.js";
import { resolveGroupIds } from "./match-groups.js";
import { groupNameKey } from "./normalize.js";
import { parsePlanJson } from "./parse-plan-json.js";
import { renderJson } from "./render-json.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderText } from "./render-text.js";
import { ruleLabel } from "./rule-label.js";
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

  it("rulesNeedingLookup names exactly the rules diff finds no member of the group for", () => {
    const keyOf = (rule: Rule) => `${rule.kind}:${rule.value}`;
    fc.assert(
      fc.property(worldArb, ({ desired, live }) => {
        const plan = diff(desired, live);
        const byId = new Map(live.profiles.map((p) => [p.id, p]));
        const expected: string[] = [];
        for (const [i, entry] of desired.groups.entries()) {
          const groupId = plan.groups[i]?.groupId;
          const seen = new Set<string>();
          for (const rule of entry.rules) {
            if (seen.has(keyOf(rule))) continue;
            seen.add(keyOf(rule));
            const resolution = plan.rules.find((r) => r.group === entry.key && r.rule === ruleLabel(rule));
            const satisfied =
              groupId !== undefined &&
              entry.match === "one" &&
              rule.kind !== "email_domain" &&
              (resolution?.profileIds ?? []).some((id) => byId.get(id)?.groupIds.includes(groupId));
            if (!satisfied) expected.push(`${entry.key} ${keyOf(rule)}`);
          }
        }
        const named = rulesNeedingLookup(desired, live).map((n) => `${n.group} ${keyOf(n.rule)}`);
        expect(named).toEqual(expected);
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

describe("the state as @groupsync/square gathers it", () => {
  // What prepareDiff's tests guarded, as the reader now gives it to diff: the members of each
  // group in the order the groups are read, a profile read twice kept once, then the look-ups'
  // profiles. Whatever that order, the plan is the account's.
  it("profiles gathered group by group, then the rest, plan exactly what the account plans", () => {
    fc.assert(
      fc.property(worldArb, fc.integer(), ({ desired, live }, seed) => {
        const gathered = new Map<string, LiveProfile>();
        for (const group of shuffled(live.groups, seed)) {
          for (const p of live.profiles) if (p.groupIds.includes(group.id)) gathered.set(p.id, p);
        }
        for (const p of shuffled(live.profiles, seed ^ 0x2545f491))
          if (!gathered.has(p.id)) gathered.set(p.id, p);
        const read: LiveState = { groups: live.groups, profiles: [...gathered.values()] };
        expect(renderJson(diff(desired, read), { redact: false })).toBe(
          renderJson(diff(desired, live), { redact: false }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("a group's look-ups name a rule listed twice once, and a satisfied one not at all", () => {
    const rules = [email("ada@example.com"), email("bob@example.com"), email("ada@example.com")];
    const state = desired([group("vip", { name: "VIP", rules })]);
    const members = [profile("C1", { groupIds: ["G1"], emailAddress: "Bob@Example.com" })];
    expect(rulesNeedingLookup(state, live([liveGroup("G1", "VIP")], members))).toEqual([
      { group: "vip", rule: email("ada@example.com") },
    ]);
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
