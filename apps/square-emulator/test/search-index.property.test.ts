import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRandom } from "../src/random.js";
import { parseSearchRequest } from "../src/search/parse-query.js";
import { runSearch } from "../src/search/search-page.js";
import { SortCache } from "../src/search/sort-cache.js";
import { Store } from "../src/store.js";
import type { SquareCustomer } from "../src/types.js";

// The indexed search must find (and count) exactly what a plain scan of every profile finds, in order.
const GROUPS = ["G1", "G2", "G3"];
const EMAILS = ["a@x.com", "A@X.com", "b@x.com", "c@y.org"];

const operation = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      email: fc.option(fc.constantFrom(...EMAILS), { nil: undefined, freq: 2 }),
      name: fc.option(fc.constantFrom("Ada", "Bob", "ada", "Zoe"), { nil: undefined, freq: 2 }),
      groups: fc.subarray(GROUPS),
      tick: fc.integer({ min: 0, max: 2 }),
    }),
    weight: 4,
  },
  fc.record({
    kind: fc.constant("member" as const),
    at: fc.nat(),
    group: fc.constantFrom(...GROUPS),
    on: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
);

const query = fc.record({
  email: fc.option(fc.constantFrom(...EMAILS), { nil: undefined, freq: 2 }),
  any: fc.option(fc.subarray([...GROUPS, "NOPE"], { minLength: 1 }), { nil: undefined, freq: 2 }),
  all: fc.option(fc.subarray(GROUPS, { minLength: 1 }), { nil: undefined, freq: 2 }),
  none: fc.option(fc.subarray(GROUPS, { minLength: 1 }), { nil: undefined, freq: 2 }),
  from: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined, freq: 2 }),
  to: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined, freq: 2 }),
  field: fc.constantFrom("DEFAULT", "CREATED_AT"),
  order: fc.constantFrom("ASC", "DESC"),
  limit: fc.integer({ min: 1, max: 2 }),
});

const iso = (ms: number): string => new Date(ms).toISOString();

type Query = typeof query extends fc.Arbitrary<infer T> ? T : never;

function naive(customers: SquareCustomer[], q: Query): string[] {
  const listed = customers.filter((c) => c.given_name || c.email_address);
  const hits = listed.filter((c) => {
    const groups = c.group_ids ?? [];
    const created = Date.parse(c.created_at);
    return (
      (q.email === undefined || c.email_address?.toLowerCase() === q.email.toLowerCase()) &&
      (q.any === undefined || q.any.some((g) => groups.includes(g))) &&
      (q.all === undefined || q.all.every((g) => groups.includes(g))) &&
      (q.none === undefined || !q.none.some((g) => groups.includes(g))) &&
      (q.from === undefined || created >= q.from) &&
      (q.to === undefined || created <= q.to)
    );
  });
  const byCreated = (a: SquareCustomer, b: SquareCustomer): number =>
    Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : 1);
  const key = (c: SquareCustomer): string[] => [
    (c.given_name ?? "").toLowerCase(),
    "",
    (c.email_address ?? "").toLowerCase(),
    "",
  ];
  const byDefault = (a: SquareCustomer, b: SquareCustomer): number => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) {
      if (x[i] === y[i]) continue;
      if (x[i] === "") return 1;
      if (y[i] === "") return -1;
      return (x[i] as string) < (y[i] as string) ? -1 : 1;
    }
    return byCreated(a, b);
  };
  hits.sort(q.field === "CREATED_AT" ? byCreated : byDefault);
  if (q.order === "DESC") hits.reverse();
  return hits.map((c) => c.id);
}

describe("indexed search", () => {
  it("equals a full scan for any sequence of changes and any query, across pages", () => {
    let pagedRuns = 0;
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 15, maxLength: 60 }),
        fc.array(query, { minLength: 1, maxLength: 5 }),
        (ops, queries) => {
          let clock = 0;
          const store = new Store({ now: () => clock, random: createRandom(1), searchLagMs: 0 });
          for (const g of GROUPS) store.createGroup(g, g);
          const ids: string[] = [];
          for (const op of ops) {
            if (op.kind === "create") {
              clock += op.tick;
              const fields = {
                ...(op.email === undefined ? {} : { email_address: op.email }),
                ...(op.name === undefined ? {} : { given_name: op.name }),
              };
              const c = store.createCustomer(fields);
              ids.push(c.id);
              for (const g of op.groups) store.setMembership(c.id, g, true);
            } else if (ids.length > 0) {
              const id = ids[op.at % ids.length] as string;
              if (op.kind === "member") store.setMembership(id, op.group, op.on);
              else store.deleteCustomer(id);
            }
          }
          const cache = new SortCache();
          let multiPage = false;
          for (const q of queries) {
            const filter: Record<string, unknown> = {};
            if (q.email !== undefined) filter["email_address"] = { exact: q.email };
            const groupIds: Record<string, unknown> = {};
            if (q.any) groupIds["any"] = q.any;
            if (q.all) groupIds["all"] = q.all;
            if (q.none) groupIds["none"] = q.none;
            if (Object.keys(groupIds).length > 0) filter["group_ids"] = groupIds;
            const lo = q.from !== undefined && q.to !== undefined ? Math.min(q.from, q.to) : q.from;
            const hi = q.from !== undefined && q.to !== undefined ? Math.max(q.from, q.to) : q.to;
            const range: Record<string, string> = {};
            if (lo !== undefined) range["start_at"] = iso(lo);
            if (hi !== undefined) range["end_at"] = iso(hi);
            if (Object.keys(range).length > 0) filter["created_at"] = range;
            const body = {
              limit: q.limit,
              query: { filter, sort: { field: q.field, order: q.order } },
              count: true,
            };
            const expected = naive(store.snapshot().customers, { ...q, from: lo, to: hi });
            const found: string[] = [];
            let cursor: string | undefined;
            do {
              const page = runSearch(store, parseSearchRequest(cursor ? { ...body, cursor } : body), cache);
              expect((page.customers ?? []).length).toBeLessThanOrEqual(q.limit);
              expect(page.count).toBe(expected.length);
              found.push(...(page.customers ?? []).map((c) => c.id));
              cursor = page.cursor;
              expect(found.length).toBeLessThan(200); // a cursor that does not advance
            } while (cursor);
            expect(found).toEqual(expected);
            if (found.length > q.limit) multiPage = true;
          }
          if (multiPage) pagedRuns++;
        },
      ),
      { numRuns: 150 },
    );
    // The runs must exercise paging, or the property says little.
    expect(pagedRuns).toBeGreaterThan(50);
  });
});
