import { SquareClient, SquareError } from "square";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSeed, startEmulator, type Emulator } from "../src/index.js";

// The official SDK is an independent client: if it can drive the emulator, so can Square's users.
let em: Emulator;
let client: SquareClient;
beforeAll(async () => {
  em = await startEmulator({ seed: generateSeed({ customers: 300, groups: 4, seed: 5 }) });
  client = new SquareClient({ token: em.token, baseUrl: em.url, maxRetries: 0 });
});
afterAll(async () => {
  await em.stop();
});

describe("the official square SDK against the emulator", () => {
  it("creates, lists, renames and deletes a group", async () => {
    const created = await client.customers.groups.create({
      idempotencyKey: "sdk-1",
      group: { name: "SDK group" },
    });
    const id = created.group?.id as string;
    expect(created.group?.name).toBe("SDK group");

    const names: string[] = [];
    const page = await client.customers.groups.list({ limit: 2 });
    for await (const group of page) names.push(group.name);
    expect(names).toHaveLength(5);
    expect(names).toContain("SDK group");

    const renamed = await client.customers.groups.update({ groupId: id, group: { name: "SDK group 2" } });
    expect(renamed.group?.name).toBe("SDK group 2");
    expect((await client.customers.groups.get({ groupId: id })).group?.name).toBe("SDK group 2");

    await client.customers.groups.delete({ groupId: id });
    const error = await client.customers.groups.get({ groupId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquareError);
    expect((error as SquareError).statusCode).toBe(404);
    expect((error as SquareError).errors[0]?.code).toBe("NOT_FOUND");
  });

  it("searches customers by email and by group, and adds and removes memberships", async () => {
    const group = (await client.customers.groups.create({ group: { name: "Members" } })).group?.id as string;
    const made = await client.customers.create({ givenName: "Ada", emailAddress: "Ada.SDK@Example.com" });
    const customerId = made.customer?.id as string;

    const byEmail = await client.customers.search({
      query: { filter: { emailAddress: { exact: "ada.sdk@example.com" } } },
    });
    expect(byEmail.customers?.map((c) => c.id)).toEqual([customerId]);

    await client.customers.groups.add({ customerId, groupId: group });
    const byGroup = await client.customers.search({
      limit: BigInt(100),
      query: { filter: { groupIds: { any: [group] } }, sort: { field: "CREATED_AT", order: "ASC" } },
    });
    expect(byGroup.customers?.map((c) => c.id)).toEqual([customerId]);
    expect(byGroup.customers?.[0]?.groupIds).toEqual([group]);

    const bulk = await client.customers.bulkRetrieveCustomers({ customerIds: [customerId, "NOPE"] });
    expect(bulk.responses?.[customerId]?.customer?.version).toBe(BigInt(1));
    expect(bulk.responses?.["NOPE"]?.errors?.[0]?.code).toBe("NOT_FOUND");

    await client.customers.groups.remove({ customerId, groupId: group });
    const after = await client.customers.search({ query: { filter: { groupIds: { any: [group] } } } });
    expect(after.customers ?? []).toEqual([]);
    const current = await client.customers.get({ customerId });
    expect(current.customer?.groupIds ?? []).toEqual([]);
  });

  it("pages through a large group with the SDK's search cursor", async () => {
    const big = em.store.groups()[0]?.id as string;
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await client.customers.search({
        limit: BigInt(50),
        ...(cursor === undefined ? {} : { cursor }),
        query: { filter: { groupIds: { any: [big] } } },
      });
      for (const c of page.customers ?? []) seen.add(c.id as string);
      cursor = page.cursor;
    } while (cursor);
    const expected = em.store
      .snapshot()
      .customers.filter(
        (c) =>
          c.group_ids?.includes(big) &&
          (c.given_name || c.family_name || c.company_name || c.email_address || c.phone_number),
      );
    expect(seen.size).toBe(expected.length);
    expect(seen.size).toBeGreaterThan(50);
  });

  it("reports a read-only token's write as an SDK error with 403", async () => {
    const readOnly = new SquareClient({ token: em.readOnlyToken, baseUrl: em.url, maxRetries: 0 });
    const error = await readOnly.customers.groups.create({ group: { name: "x" } }).catch((e: unknown) => e);
    expect((error as SquareError).statusCode).toBe(403);
    expect((error as SquareError).errors[0]?.code).toBe("INSUFFICIENT_SCOPES");
  });
});
