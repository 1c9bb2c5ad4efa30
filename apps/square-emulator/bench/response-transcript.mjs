// A transcript of a fixed sequence of ~700 requests (reads, writes, errors, odd IDs, search lag):
// status, headers and body of every answer, cursors masked (they are sealed with a fresh nonce).
// Two builds that answer alike print the same transcript, so a change meant to keep behaviour
// (such as a speed-up) is checked byte for byte. Run after a build, from the repository root:
//   node apps/square-emulator/bench/response-transcript.mjs [DIST_DIR] > transcript.txt
// DIST_DIR defaults to this package's dist; pass another build's dist (say, from a git worktree
// of an older commit) to compare the two with `cmp`. The SHA-256 of the transcript goes to stderr.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Pool } from "undici";

const dist = process.argv[2] ? pathToFileURL(`${resolve(process.argv[2])}/`).href : "../dist/";
// The clock moves one millisecond per request, so updated_at and created_at are the same every run.
let tick = 0;
const base = Date.parse("2026-01-01T00:00:00Z");
Date.now = () => base + tick;
const { startEmulator, generateSeed } = await import(`${dist}index.js`);

const seed = generateSeed({ customers: 3000, groups: 6, seed: 7 });
// An integer-like ID (JSON puts it first in an object) and one an object does not keep as its own.
const old = { created_at: "2019-01-01T00:00:00.000Z", updated_at: "2019-01-01T00:00:00.000Z", version: 0 };
seed.customers.push({ ...old, id: "123", given_name: "Zoë", group_ids: [seed.groups[0].id] });
seed.customers.push({ ...old, id: "__proto__", email_address: "x@y.example" });
const em = await startEmulator({ seed, token: "t", randomSeed: 3 });
const pool = new Pool(em.url, { connections: 1 });
const headers = { authorization: "Bearer t", "content-type": "application/json" };
const out = [];
const mask = (text) =>
  text.replace(/"cursor":"[A-Za-z0-9_-]+"/g, '"cursor":"<C>"').replace(/cursor=[^&]*/, "cursor=<C>");

async function call(method, path, body, requestHeaders = headers) {
  tick++;
  const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const res = await pool.request({ method, path, headers: requestHeaders, body: text ?? null });
  const answer = await res.body.text();
  const shown = Object.entries(res.headers)
    .filter(([k]) => !["date", "keep-alive", "connection"].includes(k))
    .sort()
    .map(([k, v]) => `${k}=${k === "content-length" && answer.includes('"cursor"') ? "<masked>" : v}`);
  out.push(
    `${method} ${mask(path)} ${mask(text ?? "")}\n  ${res.statusCode} ${shown.join(";")}\n  ${mask(answer)}`,
  );
  try {
    return JSON.parse(answer);
  } catch {
    return {};
  }
}

const g = seed.groups.map((x) => x.id);
const customer = (i) => seed.customers[i];

async function pages(body, max) {
  let cursor;
  let n = 0;
  do cursor = (await call("POST", "/v2/customers/search", { ...body, cursor })).cursor;
  while (cursor && ++n < max);
}

async function reads() {
  const sorts = [
    undefined,
    { field: "CREATED_AT", order: "ASC" },
    { field: "CREATED_AT", order: "DESC" },
    { field: "DEFAULT", order: "DESC" },
    { field: "DEFAULT" },
  ];
  const filters = [
    { group_ids: { any: [g[0]] } },
    { group_ids: { any: [g[1], g[2]] } },
    { group_ids: { all: [g[1], g[2]] } },
    {
      group_ids: { none: [g[0]] },
      created_at: { start_at: "2019-03-01T00:00:00Z", end_at: "2021-01-01T00:00:00Z" },
    },
    { email_address: { fuzzy: "gmail" } },
    { group_ids: { any: ["nope"] } },
  ];
  for (const sort of sorts) {
    for (const filter of filters) {
      const query = { filter, ...(sort ? { sort } : {}) };
      await pages({ limit: 100, query, count: true }, 8);
      await pages({ limit: 37, query }, 3);
    }
  }
  for (const c of seed.customers.filter((_, i) => i % 150 === 0)) {
    if (c.email_address) {
      const filter = { email_address: { exact: c.email_address.toUpperCase() } };
      await call("POST", "/v2/customers/search", {
        query: { filter, sort: { field: "CREATED_AT" } },
        count: true,
      });
    }
    if (c.phone_number) {
      const filter = { phone_number: { exact: `+${c.phone_number.replace(/\D/g, "")}` } };
      await call("POST", "/v2/customers/search", { query: { filter } });
    }
    await call("GET", `/v2/customers/${c.id}`);
  }
  for (const query of ["limit=100&sort_field=CREATED_AT&count=true", "limit=100"]) {
    let cursor;
    let n = 0;
    do cursor = (await call("GET", `/v2/customers?${query}${cursor ? `&cursor=${cursor}` : ""}`)).cursor;
    while (cursor && ++n < 5);
  }
  const ids = seed.customers.filter((_, i) => i % 31 === 0).map((c) => c.id);
  const odd = ["123", "__proto__", "nope", ids[0], "7"];
  await call("POST", "/v2/customers/bulk-retrieve", { customer_ids: [...ids.slice(0, 95), ...odd] });
  await call("POST", "/v2/customers/bulk-retrieve", { customer_ids: ["constructor", "toString", "9", "10"] });
  await call("GET", "/v2/customers/groups?limit=4");
  // groupsync's count probe: one profile of the whole account, in DEFAULT order.
  await call("POST", "/v2/customers/search", { limit: 1, count: true });
  await pages({ limit: 3, query: { sort: { field: "DEFAULT", order: "DESC" } } }, 2);
}

await reads();
await call("POST", "/v2/customers/search", { cursor: "abc", query: {} });
await call("POST", "/v2/customers/search", { limit: 0 });
await call("POST", "/v2/customers/search", { limit: 101 });
await call("POST", "/v2/customers/search", "not json");
await call("POST", "/v2/customers/search", "[1]");
await call("POST", "/v2/customers/search", {}, { authorization: "Bearer bad" });
await call("POST", "/v2/customers/bulk-retrieve", { customer_ids: [] });
await call("GET", "/v2/nothing");
await call("PUT", `/v2/customers/nope/groups/${g[0]}`);
await call("PUT", `/v2/customers/${customer(5).id}/groups/nope`);
for (let i = 0; i < 60; i++) {
  await call(
    i % 3 === 0 ? "DELETE" : "PUT",
    `/v2/customers/${customer(i * 37).id}/groups/${g[i % g.length]}`,
  );
  if (i % 10 === 0)
    await pages({ query: { filter: { group_ids: { any: [g[i % g.length]] } } }, count: true }, 3);
}
const created = { given_name: "New", email_address: "new@x.example", idempotency_key: "k1" };
await call("POST", "/v2/customers", created);
await call("POST", "/v2/customers", created);
await call("PUT", `/v2/customers/${customer(9).id}`, { family_name: "Changed", email_address: null });
await call("DELETE", `/v2/customers/${customer(10).id}`);
await call("POST", "/v2/customers/groups", { group: { name: "Extra" }, idempotency_key: "g1" });
await reads();

// Search lag: search shows the old snapshot while Retrieve shows the new one.
em.configure({ searchLagMs: 1_000_000 });
await call("PUT", `/v2/customers/${customer(1).id}/groups/${g[3]}`);
const lagged = {
  query: { filter: { group_ids: { any: [g[3]] } }, sort: { field: "CREATED_AT" } },
  limit: 3,
  count: true,
};
for (let i = 0; i < 3; i++) {
  await call("POST", "/v2/customers/search", lagged);
  await call("POST", "/v2/customers/bulk-retrieve", { customer_ids: [customer(1).id, customer(2).id] });
  await call("GET", `/v2/customers/${customer(1).id}`);
  const exact = customer(1).email_address ?? "none@x.example";
  await call("POST", "/v2/customers/search", {
    query: { filter: { email_address: { exact } } },
    count: true,
  });
}
em.store.flushSearch();
await call("POST", "/v2/customers/search", lagged);
const fuzzy = { phone_number: { fuzzy: "415" }, group_ids: { none: [g[0]] } };
await call("POST", "/v2/customers/search", { query: { filter: fuzzy }, limit: 50, count: true });
const sources = {
  creation_source: { values: ["THIRD_PARTY"], rule: "EXCLUDE" },
  updated_at: { start_at: "2019-01-01T00:00:00Z" },
};
await call("POST", "/v2/customers/search", { query: { filter: sources }, limit: 50, count: true });
await call("GET", "/v2/customers?limit=100&count=true&sort_order=DESC");
out.push(JSON.stringify(em.stats()));

await pool.close();
await em.stop();
const transcript = `${out.join("\n")}\n`;
process.stdout.write(transcript);
process.stderr.write(
  `${out.length} answers, sha256 ${createHash("sha256").update(transcript).digest("hex")}\n`,
);
