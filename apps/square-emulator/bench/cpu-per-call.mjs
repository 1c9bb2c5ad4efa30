// Emulator CPU per API call, by operation, on groupsync's M workload (100,000 profiles, 50
// groups, 1% drift). Run after a build, from the repository root:
//   node apps/square-emulator/bench/cpu-per-call.mjs [--runs 5] [--bulk 20] [--emails 200] [--writes 400]
//     [--only TEXT] [--cpu-prof-dir DIR]
// The emulator runs in a child process (latencyMs 0) and reports its own process.cpuUsage()
// over IPC before and after each phase, so the figures hold the emulator's CPU only (HTTP
// parsing included), not this driver's. Each phase is repeated `runs` times. The requests have
// the shapes groupsync's client sends.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Pool } from "undici";

const TOKEN = "bench-token-not-a-secret";

if (process.argv[2] === "--serve") await serve();
else await drive();

/** The child: the emulator holding the M workload; answers "cpu" with its CPU time so far (µs). */
async function serve() {
  const { startEmulator } = await import("../dist/index.js");
  const { SIZES, buildWorkload } = await import("../../../bench/workload.mjs");
  const workload = buildWorkload({ ...SIZES.M, drift: 0.01 });
  const seed = workload.seed;
  const emulator = await startEmulator({ token: TOKEN, seed: structuredClone(seed), latencyMs: 0 });
  // A fixed sample: every 97th profile with an email, and pairs to add and remove.
  const emails = seed.customers.filter((c) => c.email_address).map((c) => c.email_address);
  const ids = seed.customers.map((c) => c.id);
  process.on("message", (message) => {
    if (message === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send({ user, system });
    } else if (message === "stop") emulator.stop().then(() => process.exit(0));
  });
  process.send({
    url: emulator.url,
    groups: seed.groups.map((g) => g.id),
    emails: emails.filter((_, i) => i % 97 === 0),
    ids: ids.filter((_, i) => i % 89 === 0),
  });
}

async function drive() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "5" },
      bulk: { type: "string", default: "20" },
      emails: { type: "string", default: "200" },
      writes: { type: "string", default: "400" },
      // Writes a .cpuprofile of the emulator into this directory (node --cpu-prof).
      "cpu-prof-dir": { type: "string" },
      // Runs only the operations whose name contains this text.
      only: { type: "string", default: "" },
    },
  });
  const runs = Number(values.runs);
  const profDir = values["cpu-prof-dir"];
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: profDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profDir}`],
  });
  const replies = [];
  let waiting;
  child.on("message", (message) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(message);
    } else replies.push(message);
  });
  const ask = (message) =>
    new Promise((resolve) => {
      waiting = resolve;
      if (message !== undefined) child.send(message);
    });
  const info = await ask();
  const childCpu = () => ask("cpu");

  const pool = new Pool(info.url, { connections: 4 });
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const call = async (method, path, body) => {
    const res = await pool.request({
      method,
      path,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return text.length > 2 ? JSON.parse(text) : {};
  };
  const sort = { field: "CREATED_AT", order: "ASC" };

  const allPhases = {
    // One group_ids.any pass per group, 100 per page by cursor, count on every page (as the client).
    "SearchCustomers group_ids.any pages": async () => {
      let calls = 0;
      for (const group of info.groups) {
        let cursor;
        do {
          const query = { filter: { group_ids: { any: [group] } }, sort };
          const page = await call("POST", "/v2/customers/search", { limit: 100, query, count: true, cursor });
          calls++;
          cursor = page.cursor;
        } while (cursor !== undefined);
      }
      return calls;
    },
    "SearchCustomers email_address.exact": async () => {
      const emails = info.emails.slice(0, Number(values.emails));
      for (const exact of emails) {
        const query = { filter: { email_address: { exact } }, sort };
        await call("POST", "/v2/customers/search", { limit: 100, query, count: true });
      }
      return emails.length;
    },
    // The count probe groupsync's read sends once: one profile of the whole account, DEFAULT order.
    "SearchCustomers count probe (limit 1)": async () => {
      await call("POST", "/v2/customers/search", { limit: 1, count: true });
      return 1;
    },
    "BulkRetrieveCustomers (100 ids)": async () => {
      const n = Number(values.bulk);
      for (let i = 0; i < n; i++) {
        const customer_ids = Array.from({ length: 100 }, (_, j) => info.ids[(i * 100 + j) % info.ids.length]);
        await call("POST", "/v2/customers/bulk-retrieve", { customer_ids });
      }
      return n;
    },
    // Adds then removes the same pairs, so every run starts from the same state.
    "Add/RemoveGroupFromCustomer": async () => {
      const pairs = Number(values.writes) / 2;
      const group = info.groups[info.groups.length - 1];
      for (const method of ["PUT", "DELETE"]) {
        for (let i = 0; i < pairs; i++) await call(method, `/v2/customers/${info.ids[i]}/groups/${group}`);
      }
      return pairs * 2;
    },
  };

  const phases = Object.fromEntries(Object.entries(allPhases).filter(([name]) => name.includes(values.only)));
  // The first run meets cold caches (as groupsync's first plan does); the best later run is the
  // steady state (apply and the plan after it read the same profiles again).
  const first = {};
  const best = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, phase] of Object.entries(phases)) {
      const before = await childCpu();
      const calls = await phase();
      const after = await childCpu();
      const ms = (after.user - before.user + after.system - before.system) / 1000;
      if (run === 0) first[name] = { calls, ms };
      else if (best[name] === undefined || ms < best[name].ms) best[name] = { calls, ms };
    }
  }
  const total = (results) =>
    Object.values(results).reduce((a, r) => ({ calls: a.calls + r.calls, ms: a.ms + r.ms }));
  const perCall = (r) => (r === undefined ? "-" : (r.ms / r.calls).toFixed(3)).padStart(9);
  console.log(
    `emulator CPU ms per call (user + system): the first run, and the best of the ${runs - 1} after it`,
  );
  console.log(`${"operation".padEnd(38)} ${"first".padStart(9)} ${"best".padStart(9)}  calls`);
  for (const name of Object.keys(phases)) {
    console.log(`${name.padEnd(38)} ${perCall(first[name])} ${perCall(best[name])}  ${first[name].calls}`);
  }
  const all = total(first);
  const allBest = runs > 1 ? total(best) : undefined;
  console.log(`${"all of the above".padEnd(38)} ${perCall(all)} ${perCall(allBest)}  ${all.calls}`);
  await pool.close();
  child.send("stop");
}
