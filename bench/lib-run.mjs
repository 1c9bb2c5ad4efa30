// The CLI's read -> diff -> apply path through the libraries, for a desired state too large for
// groups.yaml (above @groupsync/config's MAX_CONFIG_BYTES, which `groupsync` refuses).
// `--via library` forces it for any workload, to measure the plan without YAML parsing. This does what `groupsync plan` /
// `apply --auto-approve` do once the file is parsed (apps/planner/src/make-plan.ts,
// apply-plan.ts): readLiveState, diff, applyPlan without precondition checks, and prints the
// same `API calls: N ... in X s.` line and `No changes.` when there are none.
//
//   node --import ./bench/probe.mjs bench/lib-run.mjs plan|apply DESIRED.json
// with SQUARE_ACCESS_TOKEN and SQUARE_BASE_URL set. Exit codes as `plan --detailed-exitcode`.
//
// The packages are loaded from their dist/ by path: the root package does not depend on them
// (adding workspace dependencies there would change the lockfile other packages share).
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { diff } from "../packages/core/dist/index.js";
import { applyPlan, createSquareClient, readLiveState } from "../packages/square/dist/index.js";

const [mode, file] = process.argv.slice(2);
const desired = JSON.parse(await readFile(file, "utf8"));
const client = createSquareClient({
  token: process.env.SQUARE_ACCESS_TOKEN ?? "",
  baseUrl: process.env.SQUARE_BASE_URL ?? "",
});
const started = performance.now();
const live = await readLiveState(client, desired);
const plan = diff(desired, live);
let code = plan.actions.length === 0 ? 0 : 2;
if (plan.errors.length > 0) {
  process.stderr.write(plan.errors.map((e) => e.message).join("\n") + "\n");
  code = 1;
} else if (mode === "apply" && plan.actions.length > 0) {
  const result = await applyPlan(client, plan, { checkPreconditions: false });
  code = result.ok ? 0 : 1;
}
const stats = client.stats();
const s = plan.summary;
process.stdout.write(
  (plan.actions.length === 0
    ? "No changes.\n"
    : `Plan: ${s.create} to create, ${s.rename} to rename, ${s.add} to add, ${s.remove} to remove.\n`) +
    `API calls: ${stats.total} in ${((performance.now() - started) / 1000).toFixed(2)} s.\n`,
);
await client.close();
process.exitCode = code;
