import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type SquareCustomer } from "../src/index.js";
import { call, customersOf, firstError, searchAll } from "./helpers.js";

let em: Emulator;
let vip: string;
let press: string;
const people: Record<string, SquareCustomer> = {};

beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.stop();
});
beforeEach(() => {
  em.reset({ groups: [], customers: [] });
  vip = em.store.addGroup("VIP").id;
  press = em.store.addGroup("Press").id;
  const add = (key: string, c: Parameters<Emulator["store"]["addCustomer"]>[0]): void => {
    people[key] = em.store.addCustomer(c);
  };
  add("steven", {
    given_name: "Steven",
    family_name: "Johnson",
    email_address: "Steven.Johnson@gmail.com",
    phone_number: "+1-415-212-1200",
    created_at: "2021-01-01T00:00:00.000Z",
    group_ids: [vip],
  });
  add("bakery", {
    company_name: "Steven's Bakery",
    email_address: "mygmail@stevensbakery.com",
    phone_number: "(212) 415-1234",
    created_at: "2021-02-01T00:00:00.000Z",
    group_ids: [vip, press],
  });
  add("ada", {
    given_name: "Ada",
    family_name: "Lovelace",
    email_address: "ada@example.com",
    phone_number: "206.222.3333",
    created_at: "2021-03-01T00:00:00.000Z",
    creation_source: "DIRECTORY",
    group_ids: [press],
  });
  add("adaDuplicate", {
    given_name: "Ada",
    family_name: "King",
    email_address: "ADA@EXAMPLE.COM",
    created_at: "2021-04-01T00:00:00.000Z",
  });
  add("hidden", { note: "no public field", created_at: "2021-05-01T00:00:00.000Z", group_ids: [vip] });
});

async function search(body: Record<string, unknown>): Promise<string[]> {
  const reply = await call(em, "POST", "/v2/customers/search", body);
  expect(reply.status).toBe(200);
  return customersOf(reply).map((c) => c.id);
}

function ids(...keys: string[]): string[] {
  return keys.map((k) => (people[k] as SquareCustomer).id);
}

const byCreated = { sort: { field: "CREATED_AT", order: "ASC" } };

describe("SearchCustomers filters", () => {
  it.each([
    [
      "email exact, case-insensitive",
      { email_address: { exact: "ada@EXAMPLE.com" } },
      ["ada", "adaDuplicate"],
    ],
    ["email fuzzy, tokens in any order", { email_address: { fuzzy: "Steven gmail" } }, ["steven", "bakery"]],
    ["email fuzzy, one token", { email_address: { fuzzy: "lovelace" } }, []],
    [
      "email fuzzy, punctuation as separators",
      { email_address: { fuzzy: "steven.johnson@gmail" } },
      ["steven"],
    ],
    ["phone exact, E.164", { phone_number: { exact: "+12062223333" } }, ["ada"]],
    ["phone exact, formatted", { phone_number: { exact: "+1 (206) 222-3333" } }, ["ada"]],
    ["phone fuzzy", { phone_number: { fuzzy: "415" } }, ["steven", "bakery"]],
    ["group any", { group_ids: { any: ["VIP"] } }, []],
    ["group any (ids)", "any-vip", ["steven", "bakery"]],
    ["group all", "all-both", ["bakery"]],
    ["group none", "none-vip", ["ada", "adaDuplicate"]],
    ["group any, two groups", "any-both", ["steven", "bakery", "ada"]],
    ["unknown group", { group_ids: { any: ["NO-SUCH-GROUP"] } }, []],
    [
      "created_at range (inclusive)",
      { created_at: { start_at: "2021-02-01T00:00:00Z", end_at: "2021-03-01T00:00:00Z" } },
      ["bakery", "ada"],
    ],
    ["creation_source include", { creation_source: { values: ["DIRECTORY"], rule: "INCLUDE" } }, ["ada"]],
    [
      "creation_source exclude",
      { creation_source: { values: ["DIRECTORY"], rule: "EXCLUDE" } },
      ["steven", "bakery", "adaDuplicate"],
    ],
    ["AND of filters", "email-and-group", ["ada"]],
  ])("%s", async (_label, filterOrName, expected) => {
    const named: Record<string, Record<string, unknown>> = {
      "any-vip": { group_ids: { any: [vip] } },
      "all-both": { group_ids: { all: [vip, press] } },
      "none-vip": { group_ids: { none: [vip] } },
      "any-both": { group_ids: { any: [vip, press] } },
      "email-and-group": { email_address: { exact: "ada@example.com" }, group_ids: { any: [press] } },
    };
    const filter = typeof filterOrName === "string" ? named[filterOrName] : filterOrName;
    const reply = await call(em, "POST", "/v2/customers/search", { query: { filter, ...byCreated } });
    expect(reply.status).toBe(200);
    if (expected.length === 0) expect(reply.body).toEqual({});
    expect(customersOf(reply).map((c) => c.id)).toEqual(ids(...expected));
  });

  it("never finds or counts a profile without a name, company, email or phone", async () => {
    const reply = await call(em, "POST", "/v2/customers/search", {
      query: { filter: { group_ids: { any: [vip] } } },
      count: true,
    });
    expect(reply.body["count"]).toBe(2);
    expect(customersOf(reply).map((c) => c.id)).not.toContain((people["hidden"] as SquareCustomer).id);
  });

  it("counts all matches, not the page", async () => {
    const reply = await call(em, "POST", "/v2/customers/search", { limit: 1, count: true, query: byCreated });
    expect(reply.body["count"]).toBe(4);
    expect(customersOf(reply)).toHaveLength(1);
    expect(typeof reply.body["cursor"]).toBe("string");
  });

  it("sorts by CREATED_AT both ways and by DEFAULT (name, then company, email, phone)", async () => {
    expect(await search({ query: byCreated })).toEqual(ids("steven", "bakery", "ada", "adaDuplicate"));
    expect(await search({ query: { sort: { field: "CREATED_AT", order: "DESC" } } })).toEqual(
      ids("adaDuplicate", "ada", "bakery", "steven"),
    );
    // "ada king" < "ada lovelace" < "steven johnson"; the bakery has no name and sorts last.
    expect(await search({})).toEqual(ids("adaDuplicate", "ada", "steven", "bakery"));
    expect(await search({ query: { sort: { order: "DESC" } } })).toEqual(
      ids("bakery", "steven", "ada", "adaDuplicate"),
    );
  });

  it.each([
    [{ sort: { field: "CREATED_AT" } }],
    [{ sort: { field: "CREATED_AT", order: "DESC" } }],
    [{ sort: { field: "DEFAULT" } }],
    [{ sort: { field: "DEFAULT", order: "DESC" } }],
  ])("pages through every match once with limit 1 (%j)", async (query) => {
    const all = await search({ query });
    const paged = await searchAll(em, { limit: 1, query });
    expect(paged).toEqual(all);
    expect(paged).toHaveLength(4);
  });

  it("rejects a cursor used with another query, and a forged one", async () => {
    const first = await call(em, "POST", "/v2/customers/search", { limit: 1, query: byCreated });
    const cursor = first.body["cursor"] as string;
    const other = await call(em, "POST", "/v2/customers/search", {
      cursor,
      query: { filter: { group_ids: { any: [vip] } } },
    });
    expect(other.status).toBe(400);
    expect(firstError(other)).toMatchObject({ code: "INVALID_CURSOR", field: "cursor" });
    const forged = await call(em, "POST", "/v2/customers/search", {
      cursor: cursor.slice(0, -2) + "AA",
      query: byCreated,
    });
    expect(firstError(forged).code).toBe("INVALID_CURSOR");
  });

  it.each([
    [{ limit: 0 }, "VALUE_TOO_LOW", "limit"],
    [{ limit: 101 }, "VALUE_TOO_HIGH", "limit"],
    [{ limit: 1.5 }, "EXPECTED_INTEGER", "limit"],
    [{ query: { sort: { field: "NAME" } } }, "INVALID_ENUM_VALUE", "query.sort.field"],
    [
      { query: { filter: { email_address: { exact: "a", fuzzy: "b" } } } },
      "INVALID_VALUE",
      "query.filter.email_address",
    ],
    [
      { query: { filter: { phone_number: { exact: "2062223333" } } } },
      "INVALID_PHONE_NUMBER",
      "query.filter.phone_number.exact",
    ],
    [
      { query: { filter: { created_at: { start_at: "yesterday" } } } },
      "INVALID_TIME",
      "query.filter.created_at.start_at",
    ],
    [
      {
        query: {
          filter: { created_at: { start_at: "2022-01-01T00:00:00Z", end_at: "2021-01-01T00:00:00Z" } },
        },
      },
      "INVALID_TIME_RANGE",
      "query.filter.created_at",
    ],
    [
      { query: { filter: { group_ids: { any: Array.from({ length: 101 }, (_, i) => `G${i}`) } } } },
      "ARRAY_LENGTH_TOO_LONG",
      "query.filter.group_ids.any",
    ],
    [
      { query: { filter: { creation_source: { values: ["NOPE"] } } } },
      "INVALID_ENUM_VALUE",
      "query.filter.creation_source.values[0]",
    ],
    [{ query: "everything" }, "EXPECTED_OBJECT", "query"],
  ])("rejects %j with %s", async (body, code, field) => {
    const reply = await call(em, "POST", "/v2/customers/search", body);
    expect(reply.status).toBe(400);
    expect(firstError(reply)).toMatchObject({ code, field, category: "INVALID_REQUEST_ERROR" });
  });

  it("sees updated_at ranges", async () => {
    const reply = await call(em, "POST", "/v2/customers/search", {
      query: { filter: { updated_at: { start_at: "2021-03-01T00:00:00Z", end_at: "2021-03-31T00:00:00Z" } } },
    });
    expect(customersOf(reply).map((c) => c.id)).toEqual(ids("ada"));
  });
});

describe("ListCustomers", () => {
  it("lists listable profiles with sort and paging", async () => {
    const reply = await call(
      em,
      "GET",
      "/v2/customers?sort_field=CREATED_AT&sort_order=DESC&limit=3&count=true",
    );
    expect(reply.status).toBe(200);
    expect(customersOf(reply).map((c) => c.id)).toEqual(ids("adaDuplicate", "ada", "bakery"));
    expect(reply.body["count"]).toBe(4);
    const next = await call(
      em,
      "GET",
      `/v2/customers?sort_field=CREATED_AT&sort_order=DESC&limit=3&cursor=${reply.body["cursor"] as string}`,
    );
    expect(customersOf(next).map((c) => c.id)).toEqual(ids("steven"));
    expect(next.body["cursor"]).toBeUndefined();
  });

  it.each([
    ["limit=101", "VALUE_TOO_HIGH"],
    ["limit=0", "VALUE_TOO_LOW"],
    ["sort_field=NAME", "INVALID_ENUM_VALUE"],
    ["sort_order=UP", "INVALID_ENUM_VALUE"],
    ["cursor=abc", "INVALID_CURSOR"],
  ])("rejects ?%s with %s", async (query, code) => {
    const reply = await call(em, "GET", `/v2/customers?${query}`);
    expect(reply.status).toBe(400);
    expect(firstError(reply).code).toBe(code);
  });
});
