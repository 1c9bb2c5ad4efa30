import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SquareClient, SquareCustomer, SquareCustomerGroup } from "../src/index.js";
import { paginate } from "../src/paginate.js";
import { callsSeen, clientFor } from "./helpers.js";

const T0 = Date.parse("2024-01-01T00:00:00Z");

function seed(): SeedData {
  const groups = Array.from({ length: 120 }, (_, i) => ({
    id: `G${String(i).padStart(4, "0")}`,
    name: `Group ${i}`,
    created_at: new Date(T0).toISOString(),
    updated_at: new Date(T0).toISOString(),
  }));
  const customers = Array.from({ length: 250 }, (_, i) => ({
    id: `C${String(i).padStart(5, "0")}`,
    created_at: new Date(T0 + i * 1000).toISOString(),
    updated_at: new Date(T0 + i * 1000).toISOString(),
    email_address: `person${i}@example.com`,
    group_ids: [],
    version: 0,
  }));
  return { groups, customers };
}

type GroupsAnswer = { groups?: SquareCustomerGroup[]; cursor?: string };
type CustomersAnswer = { customers?: SquareCustomer[]; cursor?: string };

let emulator: Emulator;
let client: SquareClient;

beforeAll(async () => {
  emulator = await startEmulator({ seed: seed(), randomSeed: 7 });
});
afterAll(async () => {
  await client?.close();
  await emulator.stop();
});
beforeEach(async () => {
  await client?.close();
  emulator.reset();
  client = clientFor(emulator);
});

describe("paginate", () => {
  it("follows the cursor in the query of a GET, page by page, and a caller that stops early costs no call more", async () => {
    const request = {
      operation: "ListCustomerGroups",
      method: "GET",
      path: "/v2/customers/groups",
      query: { limit: 50 },
    } as const;
    const sizes: number[] = [];
    const lasts: boolean[] = [];
    for await (const page of paginate(client, request, (a: GroupsAnswer) => a.groups)) {
      sizes.push(page.items.length);
      lasts.push(page.last);
    }
    expect(sizes).toEqual([50, 50, 20]);
    expect(lasts).toEqual([false, false, true]);
    expect(callsSeen(emulator)).toEqual({ ListCustomerGroups: 3 });

    emulator.reset();
    for await (const page of paginate(client, request, (a: GroupsAnswer) => a.groups)) {
      expect(page.items).toHaveLength(50);
      break;
    }
    expect(callsSeen(emulator)).toEqual({ ListCustomerGroups: 1 });
  });

  it("follows the cursor in the body of a POST, from a cursor given", async () => {
    const request = {
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: 100, query: { sort: { field: "CREATED_AT", order: "ASC" } } },
    } as const;
    const first = await client.send<CustomersAnswer>(request);
    const rest: string[] = [];
    const priorities: number[] = [];
    const pages = paginate(client, request, (a: CustomersAnswer) => a.customers, {
      ...(first.cursor === undefined ? {} : { cursor: first.cursor }),
      priority: (page) => {
        priorities.push(page);
        return 0;
      },
    });
    for await (const page of pages) rest.push(...page.items.map((c) => c.id));
    const ids = [...(first.customers ?? []).map((c) => c.id), ...rest];
    expect(ids).toEqual(seed().customers.map((c) => c.id));
    expect(priorities).toEqual([1, 2]);
    expect(callsSeen(emulator)).toEqual({ SearchCustomers: 3 });
  });
});
