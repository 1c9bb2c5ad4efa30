import { createServer } from "node:net";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSeed, startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cleanEnv, groupsync as run, type Outcome as RunOutcome } from "./resilience/harness.js";

// Issue 6 (secrets): every command, in every way it can fail, with a sentinel access token:
// the token must appear in no output, no plan file and no state file (DESIGN.md §5).
/** Looks like a Square production token; its middle part is what a truncated echo would still show. */
const CORE = "7d1fSENTINEL0c9e4b2a86d3";
const SENTINEL = `EAAAl${CORE}x5Jq`;

interface Outcome extends RunOutcome {
  label: string;
}

async function groupsync(
  label: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<Outcome> {
  return { label, ...(await run(args, cleanEnv(env), cwd)) };
}

function leaks(text: string): boolean {
  return text.includes(SENTINEL) || text.includes(CORE);
}

/** Every file under `dir` (plan files, .groupsync/state.json, imported groups.yaml). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

let wrongToken: Emulator; // answers 401 to the sentinel
let readOnly: Emulator; // the sentinel is its read-only token: reads work, writes answer 403
let dir: string;
let groupName: string;
const outcomes: Outcome[] = [];

beforeAll(async () => {
  const seed = generateSeed({ customers: 200, groups: 3, seed: 11 });
  const member = seed.customers.find(
    (c) => c.email_address !== undefined && (c.group_ids ?? []).length === 0,
  );
  const group = seed.groups[0];
  if (member?.email_address === undefined || group === undefined)
    throw new Error("seed without a usable profile");
  groupName = group.name;
  wrongToken = await startEmulator({
    token: "the-right-token-for-this-emulator",
    seed: structuredClone(seed),
  });
  readOnly = await startEmulator({
    token: "a-full-token",
    readOnlyToken: SENTINEL,
    seed: structuredClone(seed),
  });
  dir = await mkdtemp(join(tmpdir(), "groupsync-secrets-"));
  // A plan with changes (a group to create, a member to add) so that apply has writes to refuse.
  await writeFile(
    join(dir, "groups.yaml"),
    [
      "version: 1",
      "groups:",
      "  existing:",
      `    name: ${JSON.stringify(group.name)}`,
      "    membership: additive",
      "    members:",
      `      - email: ${JSON.stringify(member.email_address.trim().toLowerCase())}`,
      "  created:",
      "    name: Secrets Test Group",
      "    members:",
      `      - email: ${JSON.stringify(member.email_address.trim().toLowerCase())}`,
      "",
    ].join("\n"),
  );
  await writeFile(
    join(dir, "bad.yaml"),
    "version: 1\ngroups:\n  vip:\n    name: VIP\n    members:\n      - email: not-an-email\n",
  );
  await writeFile(join(dir, "broken.yaml"), "version: 1\ngroups:\n  vip: [unclosed\n");
  const unreachable = `http://127.0.0.1:${await closedPort()}`;

  const sentinel = { SQUARE_ACCESS_TOKEN: SENTINEL };
  const modes: Array<[string, Record<string, string>]> = [
    ["401 wrong token", { ...sentinel, SQUARE_BASE_URL: wrongToken.url }],
    ["403 read-only token", { ...sentinel, SQUARE_BASE_URL: readOnly.url }],
    ["unreachable", { ...sentinel, SQUARE_BASE_URL: unreachable }],
    ["http to a non-loopback host", { ...sentinel, SQUARE_BASE_URL: "http://example.com" }],
    ["bad environment", { ...sentinel, SQUARE_ENVIRONMENT: "staging" }],
  ];
  // Commands that talk to Square run in every mode; those that fail on the config first (or
  // never touch the network) run once, with the token set.
  const network: Array<[string, string[]]> = [
    ["plan", ["plan", "--out", "plan.json"]],
    ["apply", ["apply", "--auto-approve"]],
    ["import", ["import", "--file", "imported.yaml", "--force"]],
  ];
  // `members` (issue 7) joins the list once the CLI has it.
  const help = await groupsync("help", ["--help"], {}, dir);
  if (/^\s+members\s/m.test(help.stdout)) network.push(["members", ["members", groupName]]);
  const local: Array<[string, string[]]> = [
    ["validate", ["validate"]],
    ["validate bad config", ["validate", "--file", "bad.yaml"]],
    ["fmt bad config", ["fmt", "--check", "--file", "broken.yaml"]],
    ["plan bad config", ["plan", "--file", "bad.yaml", "--out", "plan-bad.json"]],
    ["apply bad config", ["apply", "--auto-approve", "--file", "bad.yaml"]],
  ];
  const slow: Array<() => Promise<Outcome>> = [];
  const fast: Array<() => Promise<Outcome>> = [];
  const add = (list: typeof fast, label: string, args: string[], env: Record<string, string>) => {
    for (const debug of [false, true]) {
      const name = `${label.replace(/ \(/, debug ? " --debug (" : " (")}`;
      list.push(() => groupsync(name, debug ? [...args, "--debug"] : args, env, dir));
    }
  };
  for (const [mode, env] of modes) {
    for (const [name, args] of network) {
      // Each unreachable run spends the client's retry budget: plan and apply are enough there
      // (the error goes through the same reporting for every command).
      if (mode === "unreachable" && name !== "plan" && name !== "apply") continue;
      add(mode === "unreachable" ? slow : fast, `${name} (${mode})`, args, env);
    }
  }
  for (const [name, args] of local)
    add(fast, `${name} (config)`, args, { ...sentinel, SQUARE_BASE_URL: readOnly.url });
  // The read-only token can plan: its saved plan is then applied, and its writes answer 403.
  const readOnlyEnv = modes[1]![1];
  fast.push(() =>
    groupsync(
      "plan --out saved.json (403 read-only token)",
      ["plan", "--out", "saved.json"],
      readOnlyEnv,
      dir,
    ),
  );

  // An unreachable endpoint costs the client's whole retry budget (8 attempts with jittered
  // backoff, about 13 s on average): those runs start together, beside the others.
  const queue = [...fast];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) outcomes.push(await next());
  };
  await Promise.all([
    ...slow.map(async (start) => outcomes.push(await start())),
    worker(),
    worker(),
    worker(),
  ]);
  add(fast, "apply saved.json (403 read-only token)", ["apply", "saved.json", "--auto-approve"], readOnlyEnv);
  for (const start of fast.slice(-2)) outcomes.push(await start());
}, 120_000);

afterAll(async () => {
  await wrongToken?.stop();
  await readOnly?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the access token never leaks", () => {
  it("is absent from every command's stdout and stderr, in every failing mode, with and without --debug", () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(40);
    const leaked = outcomes.filter((o) => leaks(o.stdout) || leaks(o.stderr)).map((o) => o.label);
    expect(leaked).toEqual([]);
  });

  it("the failing modes do fail (exit 1), so the check above saw their error paths", () => {
    // Everything fails but reading with the read-only token (plan, import, members) and validate.
    const mustFail = outcomes.filter(
      (o) =>
        !/^(plan|import|members)( --debug)? \(403|^plan --out saved|^validate( --debug)? \(config/.test(
          o.label,
        ),
    );
    const wrong = mustFail
      .filter((o) => o.code !== 1)
      .map((o) => `${o.label}: exit ${o.code}\n${o.stderr.slice(0, 400)}`);
    expect(wrong).toEqual([]);
  });

  it("the 401 and 403 messages say what is wrong without the token", () => {
    const unauthorized = outcomes.find((o) => o.label === "plan (401 wrong token)");
    expect(unauthorized?.stderr).toMatch(/401|unauthori[sz]ed|token/i);
    const forbidden = outcomes.find((o) => o.label === "apply (403 read-only token)");
    expect(forbidden?.stderr + (forbidden?.stdout ?? "")).toMatch(/403|scope|permission|CUSTOMERS_WRITE/i);
  });

  it("is absent from the plan files and the state file", async () => {
    const saved = outcomes.find((o) => o.label.startsWith("plan --out saved.json"));
    expect(saved?.code, saved?.stderr).toBe(0);
    expect((await stat(join(dir, "saved.json"))).size).toBeGreaterThan(0);
    const files = await filesUnder(dir);
    expect(files.some((f) => f.endsWith("plan.json"))).toBe(true);
    const leaked: string[] = [];
    for (const file of files) if (leaks(await readFile(file, "latin1"))) leaked.push(file);
    expect(leaked).toEqual([]);
  });
});
