// The account the applyPlan tests share: an emulator on a small seed, reset before each test,
// and a fresh client for it. `emulator` and `client` are live bindings: read them in a test.
import { diff, type DesiredState, type Plan } from "@groupsync/core";
import { desired, email, group } from "@groupsync/core/test-support";
import { startEmulator, type Emulator, type SeedData, type SquareCustomer } from "@groupsync/square-emulator";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { readLiveState, type SquareClient } from "../src/index.js";
import { clientFor } from "./helpers.js";

const T0 = Date.parse("2024-01-01T00:00:00Z");
const at = (i: number) => new Date(T0 + i * 60_000).toISOString();
const WRITES = [
  "CreateCustomerGroup",
  "UpdateCustomerGroup",
  "DeleteCustomerGroup",
  "CreateCustomer",
  "BulkCreateCustomers",
  "AddGroupToCustomer",
  "RemoveGroupFromCustomer",
];

export function seed(): SeedData {
  const customers: SquareCustomer[] = ["ada", "bob", "cy", "dee", "eve"].map((name, i) => ({
    id: name.toUpperCase(),
    created_at: at(i),
    updated_at: at(i),
    email_address: `${name}@example.com`,
    group_ids: name === "ada" || name === "bob" ? ["VIP"] : [],
    version: 0,
  }));
  return {
    groups: [
      { id: "VIP", name: "VIP", created_at: at(0), updated_at: at(0) },
      { id: "OLD", name: "Old name", created_at: at(0), updated_at: at(0) },
    ],
    customers,
  };
}

/** VIP: keep ada, add cy, create new@ and add it, remove bob; Fresh: create with dee; rename Old name. */
export const state: DesiredState = desired([
  group("vip", {
    name: "VIP",
    rules: [email("ada@example.com"), email("cy@example.com"), email("new@example.com")],
    missing: "create",
  }),
  group("fresh", { name: "Fresh", rules: [email("dee@example.com")] }),
  group("renamed", { name: "New name", previously: ["Old name"], membership: "additive" }),
]);

export let emulator: Emulator;
export let client: SquareClient;

/** Registers the hooks: one emulator for the file, reset (and a new client) before each test. */
export function useApplyAccount(): void {
  beforeAll(async () => {
    emulator = await startEmulator({ seed: seed(), randomSeed: 5 });
  });
  afterAll(async () => {
    await client?.close();
    await emulator.stop();
  });
  beforeEach(async () => {
    await client?.close();
    emulator.configure({ faultRate: 0, resetRate: 0, searchLagMs: 0, latencyMs: 0 });
    emulator.reset(seed());
    client = clientFor(emulator);
  });
}

/** Closes the test's client and uses `next` instead, until the next test. */
export async function replaceClient(next: SquareClient): Promise<void> {
  await client.close();
  client = next;
}

/** The plan of {@link state} against the account now. */
export async function plan(options: { knownProfileIds?: readonly string[] } = {}): Promise<Plan> {
  return diff(state, await readLiveState(client, state, options));
}

/** Write calls the emulator saw. */
export function writesSeen(): number {
  return WRITES.reduce((sum, op) => sum + (emulator.stats().calls[op] ?? 0), 0);
}
