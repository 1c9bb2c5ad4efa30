import fc from "fast-check";
import { startEmulator, type Emulator, type SquareCustomer } from "@groupsync/square-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchAllCustomers, type SquareClient } from "../src/index.js";
import { clientFor } from "./helpers.js";

const T0 = Date.parse("2024-01-01T00:00:00Z");
let emulator: Emulator;
let client: SquareClient;

beforeAll(async () => {
  emulator = await startEmulator({ randomSeed: 9 });
  client = clientFor(emulator);
});
afterAll(async () => {
  await client.close();
  await emulator.stop();
});

describe("searchAllCustomers", () => {
  it("finds exactly what paging finds, however the members' creation times cluster", async () => {
    await fc.assert(
      fc.asyncProperty(
        // creation times: few distinct instants (many ties) up to many, spread up to a day
        fc.array(fc.integer({ min: 0, max: 86_400_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 201, max: 700 }),
        fc.integer({ min: 2, max: 8 }),
        async (instants, members, maxSplits) => {
          const customers: SquareCustomer[] = Array.from({ length: members + 50 }, (_, i) => {
            const at = new Date(T0 + (instants[i % instants.length] ?? 0)).toISOString();
            return {
              id: `C${i}`,
              created_at: at,
              updated_at: at,
              given_name: `N${i}`,
              group_ids: i < members ? ["G"] : [],
              version: 0,
            };
          });
          const at = new Date(T0).toISOString();
          emulator.reset({ groups: [{ id: "G", name: "G", created_at: at, updated_at: at }], customers });
          const found = await searchAllCustomers(
            client,
            { group_ids: { any: ["G"] } },
            { splitPages: 1, maxSplits },
          );
          expect(found.map((c) => c.id).sort()).toEqual(
            customers
              .slice(0, members)
              .map((c) => c.id)
              .sort(),
          );
        },
      ),
      { numRuns: 25, seed: 4 },
    );
  });
});
