// The calls an apply makes for `missing: create` profiles, against the creation term of the floor
// of DESIGN.md §7 (ceil(creates / 100) BulkCreateCustomers); exit 1 above it. One existing empty group names N
// people who have no profile yet; `groupsync apply --auto-approve` creates and adds them, and a
// second apply must create nothing. See docs/performance.md.
//
//   node bench/creations.mjs [--creates 2000] [--latency 0]
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import console from "node:console";
import process from "node:process";
import { parseArgs } from "node:util";
import { startEmulator } from "../apps/square-emulator/dist/index.js";
import { costFloor } from "./workload.mjs";

const CLI = fileURLToPath(new URL("../apps/planner/dist/groupsync.mjs", import.meta.url));
const USAGE = `usage: node bench/creations.mjs [--creates 2000] [--latency 0]

Applies one group naming N people without a profile, twice: the first apply must make
ceil(N / 100) BulkCreateCustomers calls, the second none; exit 1 otherwise.`;

const { values } = parseArgs({
  options: {
    help: { type: "boolean", default: false },
    creates: { type: "string", default: "2000" },
    latency: { type: "string", default: "0" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const creates = Number(values.creates);
if (!Number.isInteger(creates) || creates < 1) throw new Error(`--creates must be a whole number from 1`);

const at = "2024-01-01T00:00:00.000Z";
const emulator = await startEmulator({
  seed: { groups: [{ id: "GWALKINS", name: "Walk-ins", created_at: at, updated_at: at }], customers: [] },
  latencyMs: Number(values.latency),
  // Search lags as Square's does: the second apply must not depend on it.
  searchLagMs: 30_000,
});
const dir = await mkdtemp(join(tmpdir(), "groupsync-creations-"));
try {
  const emails = Array.from({ length: creates }, (_, i) => `walk-in-${i}@example.net`);
  await writeFile(
    join(dir, "groups.yaml"),
    [
      "version: 1",
      "groups:",
      "  walk-ins:",
      "    name: Walk-ins",
      "    missing: create",
      "    members:",
      ...emails.map((e) => `      - email: ${e}`),
      "",
    ].join("\n"),
  );
  const first = await apply(dir);
  // The creation term alone: the read before it finds nobody, by look-ups or (cheaper on an
  // account this small) by one scan, whichever the reader picks.
  const { createCalls } = costFloor({
    liveGroups: 1,
    liveMembers: [0],
    lookups: 0,
    candidates: 0,
    adds: 0,
    removes: 0,
    creates,
  });
  emulator.reset();
  const second = await apply(dir);
  console.log(
    JSON.stringify(
      {
        creates,
        first: { calls: first.calls, total: first.total, createFloor: createCalls },
        second: { calls: second.calls, total: second.total },
      },
      null,
      2,
    ),
  );
  const made = first.calls["BulkCreateCustomers"] ?? 0;
  const again = (second.calls["BulkCreateCustomers"] ?? 0) + (second.calls["CreateCustomer"] ?? 0);
  if (made > createCalls || again > 0 || (first.calls["CreateCustomer"] ?? 0) > 0) process.exitCode = 1;
} finally {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
}

/** `groupsync apply --auto-approve` in `cwd`; the emulator's calls since the last reset. */
async function apply(cwd) {
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "apply", "--auto-approve"], {
      cwd,
      env: {
        PATH: process.env.PATH ?? "",
        SQUARE_ACCESS_TOKEN: emulator.token,
        SQUARE_BASE_URL: emulator.url,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`groupsync apply exited ${code}`);
  const stats = emulator.stats();
  return { calls: stats.calls, total: stats.total };
}
