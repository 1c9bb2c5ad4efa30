// Issue 18: the pull-request comments of the Action; the plans come from the real CLI and emulator.
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmulator, type SeedData } from "@groupsync/square-emulator";
import { describe, expect, it } from "vitest";
import {
  action,
  bodies,
  CLI,
  dir,
  github,
  partsDir,
  planArgs,
  PR,
  run,
  SHA,
  useActionHarness,
} from "./support/action-harness.js";

useActionHarness();

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

function emptySeed(): SeedData {
  return { groups: [], customers: [] };
}
