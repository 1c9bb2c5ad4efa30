// Issue 18: the drift issue of a scheduled run, and the reviewed plan a merge applies.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  action,
  dir,
  github,
  outputFile,
  partsDir,
  PR,
  SHA,
  useActionHarness,
} from "./support/action-harness.js";

useActionHarness();

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
