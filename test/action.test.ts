import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type SeedData } from "@groupsync/square-emulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "./support/github-api.js";

// Issue 18: the GitHub side of the Action (action/comment.mjs), run as the action runs it, against
// a local server speaking GitHub's REST endpoints; the plans come from the real CLI and emulator.
const SCRIPT = fileURLToPath(new URL("../action/comment.mjs", import.meta.url));
const CLI = fileURLToPath(new URL("../apps/planner/dist/groupsync.mjs", import.meta.url));
const ACTION_YML = fileURLToPath(new URL("../action.yml", import.meta.url));
const PR = 7;
const SHA = "0123456789abcdef0123456789abcdef01234567";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>, cwd?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: { PATH: process.env["PATH"] ?? "", ...env }, cwd, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

let github: FakeGitHub;
let dir: string;
let outputFile: string;

function action(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return run(process.execPath, [SCRIPT, ...args], {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: github.repo,
    GITHUB_TOKEN: github.token,
    GITHUB_OUTPUT: outputFile,
    ...env,
  });
}

/** Writes plan-1.md ... plan-N.md to a fresh folder, as `groupsync plan --out-dir` would. */
async function partsDir(parts: string[]): Promise<string> {
  const out = await mkdtemp(join(dir, "parts-"));
  for (const [i, part] of parts.entries()) await writeFile(join(out, `plan-${i + 1}.md`), part);
  return out;
}

function planArgs(partsFolder: string, exitcode = 2, extra: string[] = []): string[] {
  return [
    "plan",
    "--id",
    "groups.yaml",
    "--issue",
    String(PR),
    "--dir",
    partsFolder,
    "--exitcode",
    String(exitcode),
    "--sha",
    SHA,
    "--run",
    "4242",
    ...extra,
  ];
}

const bodies = (): string[] => github.list(PR).map((c) => c.body);

beforeEach(async () => {
  github = await new FakeGitHub().start();
  dir = await mkdtemp(join(tmpdir(), "groupsync-action-"));
  outputFile = join(dir, "github-output");
  await writeFile(outputFile, "");
});
afterEach(async () => {
  await github.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("plan comments", () => {
  it("posts one comment per part, then updates them in place and deletes the parts a shorter plan lost", async () => {
    // Other people's comments, enough to need several pages of 2.
    github.maxPerPage = 2;
    for (const who of ["alice", "bob", "carol"]) github.addComment(PR, `looks good (${who})`, who);
    const first = await action(
      planArgs(await partsDir(["**Plan: 3 to add.**\npart one\n", "part two\n", "part three\n"])),
    );
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("3 created, 0 updated, 0 unchanged, 0 deleted");
    expect(bodies().slice(3)).toEqual([
      `<!-- groupsync-plan:groups.yaml part 1 -->\n<!-- groupsync-run run=4242 sha=${SHA} exitcode=2 -->\n**Plan: 3 to add.**\npart one\n`,
      "<!-- groupsync-plan:groups.yaml part 2 -->\npart two\n",
      "<!-- groupsync-plan:groups.yaml part 3 -->\npart three\n",
    ]);
    const ids = github.list(PR).map((c) => c.id);
    github.addComment(PR, "a reply after the plan", "dave");

    const second = await action(planArgs(await partsDir(["**No changes.**\n"]), 0));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("0 created, 1 updated, 0 unchanged, 2 deleted");
    expect(github.list(PR).map((c) => c.id)).toEqual([...ids.slice(0, 4), github.list(PR)[4]?.id]);
    expect(bodies()).toEqual([
      "looks good (alice)",
      "looks good (bob)",
      "looks good (carol)",
      `<!-- groupsync-plan:groups.yaml part 1 -->\n<!-- groupsync-run run=4242 sha=${SHA} exitcode=0 -->\n**No changes.**\n`,
      "a reply after the plan",
    ]);
    // The listing followed GitHub's Link header through every page.
    expect(
      github.log.filter((l) => l.startsWith(`GET /repos/${github.repo}/issues/${PR}/comments`)).length,
    ).toBe(6);
  });

  it("changes nothing when the plan is the same, and keeps apart the comments of another file", async () => {
    const parts = await partsDir(["**Plan: 1 to add.**\n"]);
    await action(planArgs(parts));
    await action([
      "plan",
      "--id",
      "infra/groups.yaml",
      "--issue",
      String(PR),
      "--dir",
      parts,
      "--exitcode",
      "2",
      "--sha",
      SHA,
      "--run",
      "4242",
    ]);
    const writes = github.log.length;
    const again = await action(planArgs(parts));
    expect(again.stdout).toContain("0 created, 0 updated, 1 unchanged, 0 deleted");
    expect(github.log.slice(writes).every((l) => l.startsWith("GET "))).toBe(true);
    expect(bodies().map((b) => b.split("\n")[0])).toEqual([
      "<!-- groupsync-plan:groups.yaml part 1 -->",
      "<!-- groupsync-plan:infra/groups.yaml part 1 -->",
    ]);
  });

  it("replaces the plan with the failure and the end of the log when the plan failed", async () => {
    await action(planArgs(await partsDir(["**Plan: 1 to add.**\n", "two\n"])));
    const log = join(dir, "plan.log");
    await writeFile(
      log,
      "groups.yaml:3:5: unknown key 'colour'\n```not a fence```\nError: groups.yaml is not valid.\n",
    );
    const failed = await action(planArgs(join(dir, "missing"), 1, ["--log", log]));
    expect(failed.code).toBe(0);
    expect(bodies()).toEqual([
      `<!-- groupsync-plan:groups.yaml part 1 -->\n<!-- groupsync-run run=4242 sha=${SHA} exitcode=1 -->\n` +
        "**groupsync plan failed**: nothing can be applied.\n\n````\ngroups.yaml:3:5: unknown key 'colour'\n" +
        "```not a fence```\nError: groups.yaml is not valid.\n````\n",
    ]);
  });

  it("shows a plan refused by a safety guard with the reason it cannot be applied", async () => {
    const log = join(dir, "plan.log");
    await writeFile(
      log,
      'Reading the live account...\nError: The plan removes too many members: group "vip".\n',
    );
    const parts = await partsDir(["**Plan: 0 to create, 0 to rename, 0 to add, 12 to remove.**\n", "two\n"]);
    expect((await action(planArgs(parts, 1, ["--log", log]))).code).toBe(0);
    expect(bodies()).toEqual([
      `<!-- groupsync-plan:groups.yaml part 1 -->\n<!-- groupsync-run run=4242 sha=${SHA} exitcode=1 -->\n` +
        "**groupsync plan failed**: nothing can be applied.\n\n```\n" +
        'Error: The plan removes too many members: group "vip".\n```\n\n' +
        "**Plan: 0 to create, 0 to rename, 0 to add, 12 to remove.**\n",
      "<!-- groupsync-plan:groups.yaml part 2 -->\ntwo\n",
    ]);
  });

  it("posts a real 1,200-member plan from groupsync --out-dir, every comment within GitHub's limit", async () => {
    const emulator = await startEmulator({ seed: emptySeed() });
    try {
      const work = await mkdtemp(join(dir, "work-"));
      const emails = Array.from(
        { length: 1200 },
        (_, i) => `new.member.with.a.long.address.${i}@conference.example.org`,
      );
      await writeFile(
        join(work, "groups.yaml"),
        [
          "version: 1",
          "groups:",
          "  big:",
          "    name: Big",
          "    missing: create",
          "    members:",
          ...emails.map((e) => `      - email: ${e}`),
          "",
        ].join("\n"),
      );
      const env = { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url };
      const plan = await run(
        process.execPath,
        [CLI, "plan", "--format", "markdown", "--out-dir", "out", "--detailed-exitcode"],
        env,
        work,
      );
      expect(plan.code).toBe(2);
      const posted = await action(planArgs(join(work, "out")));
      expect(posted.code).toBe(0);
      expect(bodies().length).toBeGreaterThanOrEqual(2);
      for (const body of bodies()) expect(body.length).toBeLessThanOrEqual(65_535);
      const all = bodies().join("\n");
      for (const email of emails) expect(all.split(email).length - 1).toBe(1);
    } finally {
      await emulator.stop();
    }
  });
});

describe("drift issue", () => {
  const driftArgs = (parts: string, exitcode: number) => [
    "drift",
    "--id",
    "groups.yaml",
    "--title",
    "groupsync: the account drifted from groups.yaml",
    "--dir",
    parts,
    "--exitcode",
    String(exitcode),
    "--run-url",
    "https://github.com/acme/groups/actions/runs/9",
  ];

  it("opens one issue on drift, updates it on the next, closes it on a clean run", async () => {
    github.issues.push({
      number: 1,
      title: "a pull request",
      body: "<!-- groupsync-drift:groups.yaml -->",
      state: "open",
      pull_request: {},
    });
    github.issues.push({ number: 2, title: "unrelated", body: "hello", state: "open" });
    const opened = await action(driftArgs(await partsDir(["**Plan: 1 to add.**\n"]), 2));
    expect(opened.stdout).toContain("groupsync drift issue: opened (#3).");
    const issue = github.issues[2];
    expect(issue?.title).toBe("groupsync: the account drifted from groups.yaml");
    expect(issue?.body).toMatch(
      /^<!-- groupsync-drift:groups.yaml -->\nThe scheduled `groupsync plan` \(\[run\]\(https:\/\/github.com\/acme\/groups\/actions\/runs\/9\)\) found changes/,
    );
    expect(issue?.body.endsWith("\n**Plan: 1 to add.**\n")).toBe(true);

    const updated = await action(driftArgs(await partsDir(["**Plan: 2 to add.**\n", "second part\n"]), 2));
    expect(updated.stdout).toContain("groupsync drift issue: updated (#3).");
    expect(github.issues).toHaveLength(3);
    expect(issue?.body).toContain("It continues in 1 comments below.");
    expect(issue?.body.endsWith("\n**Plan: 2 to add.**\n")).toBe(true);
    expect(github.list(3).map((c) => c.body)).toEqual([
      "<!-- groupsync-plan:groups.yaml part 2 -->\nsecond part\n",
    ]);

    const closed = await action(driftArgs(join(dir, "none"), 0));
    expect(closed.stdout).toContain("groupsync drift issue: closed (#3).");
    expect(issue?.state).toBe("closed");
    expect(github.list(3).at(-1)?.body).toContain("The account matches the file again");
    const clean = await action(driftArgs(join(dir, "none"), 0));
    expect(clean.stdout).toContain("groupsync drift issue: clean.");
    // A new drift opens a new issue: the closed one is history.
    await action(driftArgs(await partsDir(["**Plan: 1 to remove.**\n"]), 2));
    expect(
      github.issues.filter((i) => i.state === "open" && i.pull_request === undefined).map((i) => i.number),
    ).toEqual([2, 4]);
  });

  it("fails without touching the issue when the plan failed", async () => {
    const log = join(dir, "plan.log");
    await writeFile(log, "Error: Square answered 401.\n");
    const failed = await action([...driftArgs(join(dir, "none"), 1), "--log", log]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /^::error title=groupsync::the drift check's plan failed:%0AError: Square answered 401\.%0A\n$/,
    );
    expect(github.log.filter((l) => !l.startsWith("GET"))).toEqual([]);
  });
});

describe("the reviewed plan of a merge", () => {
  async function review(sha: string, exitcode = 2): Promise<void> {
    github.pullsOfCommit.set("feedface", [
      { number: PR, merged_at: "2025-01-01T00:00:00Z", head: { sha: SHA } },
    ]);
    github.addComment(PR, "lgtm", "alice");
    await action([
      "plan",
      "--id",
      "groups.yaml",
      "--issue",
      String(PR),
      "--dir",
      await partsDir(["**Plan.**\n"]),
      "--exitcode",
      String(exitcode),
      "--sha",
      sha,
      "--run",
      "31337",
    ]);
  }

  it("finds the run that planned the pull request's final commit", async () => {
    await review(SHA);
    const found = await action(["find-plan", "--id", "groups.yaml", "--sha", "feedface"]);
    expect(found.code).toBe(0);
    expect(found.stdout).toBe(`The reviewed plan: pull request #${PR}, run 31337, commit ${SHA}.\n`);
    expect(await readFile(outputFile, "utf8")).toBe(`pr=${PR}\nrun=31337\nsha=${SHA}\n`);
  });

  it.each([
    [
      "a plan of an earlier commit",
      "aaaa",
      2,
      /the last plan on pull request #7 is of commit aaaa, not of its final commit/,
    ],
    ["a failed plan", SHA, 1, /the last plan on pull request #7 failed: nothing to apply/],
  ])("refuses %s", async (_what, sha, exitcode, message) => {
    await review(sha, exitcode);
    const found = await action(["find-plan", "--id", "groups.yaml", "--sha", "feedface"]);
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(message);
    expect(await readFile(outputFile, "utf8")).toBe("");
  });

  it("refuses a commit that no pull request merged, or a pull request without a plan", async () => {
    const direct = await action(["find-plan", "--id", "groups.yaml", "--sha", "abcdef"]);
    expect(direct.stdout).toMatch(
      /^::error title=groupsync::commit abcdef was not merged from a pull request/,
    );
    github.pullsOfCommit.set("abcdef", [
      { number: 8, merged_at: "2025-01-01T00:00:00Z", head: { sha: SHA } },
    ]);
    const unplanned = await action(["find-plan", "--id", "groups.yaml", "--sha", "abcdef"]);
    expect(unplanned.code).toBe(1);
    expect(unplanned.stdout).toContain("pull request #8 has no groupsync plan comment for groups.yaml");
  });
});

describe("inputs and tokens", () => {
  it("fails on an input action.yml does not declare, naming it", async () => {
    const inputs = {
      command: "plan",
      "working-directory": ".",
      file: "groups.yaml",
      "comment-mode": "sticky",
    };
    const result = await action(["check-inputs"], { INPUTS_JSON: JSON.stringify(inputs) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=groupsync::unknown input "comment-mode"; the inputs are: command, /,
    );
  });

  it("fails on a command other than plan, apply or drift; names the config for the markers", async () => {
    const bad = await action(["check-inputs"], { INPUTS_JSON: JSON.stringify({ command: "destroy" }) });
    expect(bad.stdout).toContain('input "command" must be plan, apply, drift, not "destroy"');
    const inputs = { command: "plan", "working-directory": "./infra/", file: "groups.yaml" };
    const good = await action(["check-inputs"], { INPUTS_JSON: JSON.stringify(inputs) });
    expect(good.code).toBe(0);
    expect(await readFile(outputFile, "utf8")).toBe("id=infra/groups.yaml\n");
  });

  it("declares in action.yml exactly the inputs the check knows", async () => {
    const { KNOWN_INPUTS } = (await import(SCRIPT)) as { KNOWN_INPUTS: string[] };
    const yml = await readFile(ACTION_YML, "utf8");
    const block = yml.slice(yml.indexOf("\ninputs:\n"), yml.indexOf("\noutputs:\n"));
    const declared = [...block.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
    expect(declared).toEqual(KNOWN_INPUTS);
    expect(yml).toContain("INPUTS_JSON: ${{ toJSON(inputs) }}");
  });

  it("never shows the GitHub token, not even when GitHub refuses it", async () => {
    const refused = await action(planArgs(await partsDir(["x\n"])), { GITHUB_TOKEN: "ghs_wrong-token-123" });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /^::error title=groupsync::GitHub API GET \/repos\/acme\/groups\/issues\/7\/comments answered 401: Bad credentials\n$/,
    );
    expect(refused.stdout + refused.stderr).not.toContain("ghs_");
  });

  it("sends the token to no other host than GITHUB_API_URL's", async () => {
    const elsewhere = new FakeGitHub();
    await elsewhere.start();
    try {
      // A Link header pointing elsewhere (a compromised or misconfigured proxy) is not followed.
      github.maxPerPage = 1;
      github.addComment(PR, "one");
      github.addComment(PR, "two");
      const original = github.url;
      github.url = elsewhere.url;
      const result = await action(planArgs(await partsDir(["x\n"])), { GITHUB_API_URL: original });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`refusing to send the token to ${elsewhere.url}`);
      expect(elsewhere.log).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });
});

function emptySeed(): SeedData {
  return { groups: [], customers: [] };
}
