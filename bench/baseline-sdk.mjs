// The baseline of issue 6: the straightforward script a user would write instead of groupsync,
// on the official `square` SDK. Sequential: list the groups, look up every rule one by one,
// list each group's members, then add and remove one call at a time.
import { performance } from "node:perf_hooks";
import { SquareClient } from "square";

/**
 * Reconciles `groups` (each `{ name, rules: [{ kind: "email" | "customer_id", value }] }`) the
 * plain way and times it.
 *
 * `sample` makes a long run affordable: only the rules for which `sample.lookUp(group, rule)`
 * is true are looked up over the API; the others take their answer from `sample.answer(group,
 * rule)` (the workload generator knows it) and their time and calls are extrapolated linearly
 * from the mean of the look-ups made. Everything else (listing, member pages, every add and
 * remove) is done for real.
 */
export async function runBaseline({ baseUrl, token, groups, sample }) {
  const client = new SquareClient({ token, baseUrl, maxRetries: 5 });
  const started = performance.now();
  let calls = 0;
  let lookupMs = 0;
  let lookups = 0;
  let skipped = 0;

  const live = new Map();
  calls++;
  const pager = await client.customers.groups.list({ limit: 50 });
  for await (const group of pager) live.set(group.name.trim().toLowerCase(), group.id);
  // The pager fetches further pages on demand: count them from the cursor it followed.
  calls += Math.max(0, Math.ceil(live.size / 50) - 1);

  let adds = 0;
  let removes = 0;
  for (const group of groups) {
    let groupId = live.get(group.name.trim().toLowerCase());
    if (groupId === undefined) {
      calls++;
      const created = await client.customers.groups.create({
        idempotencyKey: `baseline-${group.name}`,
        group: { name: group.name },
      });
      groupId = created.group.id;
    }

    const wanted = new Set();
    for (const rule of group.rules) {
      if (sample !== undefined && !sample.lookUp(group, rule)) {
        const id = sample.answer(group, rule);
        if (id !== undefined) wanted.add(id);
        skipped++;
        continue;
      }
      const t0 = performance.now();
      calls++;
      const id = await lookUp(client, rule);
      lookupMs += performance.now() - t0;
      lookups++;
      if (id !== undefined) wanted.add(id);
    }

    const members = new Set();
    let cursor;
    do {
      calls++;
      const page = await client.customers.search({
        limit: BigInt(100),
        ...(cursor === undefined ? {} : { cursor }),
        query: { filter: { groupIds: { any: [groupId] } } },
      });
      for (const customer of page.customers ?? []) members.add(customer.id);
      cursor = page.cursor;
    } while (cursor);

    for (const id of wanted) {
      if (members.has(id)) continue;
      calls++;
      await client.customers.groups.add({ customerId: id, groupId });
      adds++;
    }
    for (const id of members) {
      if (wanted.has(id)) continue;
      calls++;
      await client.customers.groups.remove({ customerId: id, groupId });
      removes++;
    }
  }

  const measuredMs = performance.now() - started;
  const perLookup = lookups === 0 ? 0 : lookupMs / lookups;
  return {
    measuredMs,
    measuredCalls: calls,
    lookups,
    extrapolatedLookups: skipped,
    wallMs: measuredMs + skipped * perLookup,
    calls: calls + skipped,
    adds,
    removes,
  };
}

/** The oldest profile a rule matches (DESIGN.md §3, `match: one`), or undefined. */
async function lookUp(client, rule) {
  if (rule.kind === "customer_id") {
    try {
      const { customer } = await client.customers.get({ customerId: rule.value });
      return customer?.id;
    } catch {
      return undefined;
    }
  }
  const page = await client.customers.search({
    limit: BigInt(100),
    query: { filter: { emailAddress: { exact: rule.value } } },
  });
  const found = (page.customers ?? [])
    .slice()
    .sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
    );
  return found[0]?.id;
}
