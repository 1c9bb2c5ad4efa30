import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diff, type DesiredState, type LiveState } from "@groupsync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlanFile, readPlanFile, writePlanFile } from "./plan-file.js";

const desired: DesiredState = {
  country: "US",
  unmanagedGroups: "ignore",
  groups: [
    {
      key: "vip",
      name: "VIP",
      previously: [],
      membership: "authoritative",
      match: "one",
      missing: "skip",
      rules: [{ kind: "email", value: "ada@example.com" }],
    },
  ],
};
const live: LiveState = {
  groups: [{ id: "G1", name: "VIP" }],
  profiles: [{ id: "C1", createdAt: "2022-01-01T00:00:00Z", emailAddress: "ada@example.com", groupIds: [] }],
};
const plan = diff(desired, live);
const file = createPlanFile({
  createdBy: "0.0.0",
  endpoint: "http://127.0.0.1:1",
  config: "groups.yaml",
  allow: { massRemoval: false, delete: false },
  plan,
});

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), "groupsync-planfile-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("plan files", () => {
  it("round-trip: what plan --out writes, apply reads back identically", async () => {
    expect(plan.actions.map((a) => a.type)).toEqual(["add_member"]);
    const path = join(dir, "plan.json");
    await writePlanFile(path, "plan.json", file, (t) => t);
    expect(await readPlanFile(path, "plan.json")).toEqual(file);
  });

  it.each([
    ["not JSON", "{", "it is not JSON"],
    ["another file", '{"name":"x"}', "it is not a groupsync plan file"],
    ["a newer version", JSON.stringify({ ...file, groupsyncPlanFile: 3 }), "its version 3"],
    [
      "an older version, which recorded fewer preconditions",
      JSON.stringify({ ...file, groupsyncPlanFile: 1 }),
      "it was written by an older groupsync, which did not record every precondition this one checks",
    ],
    [
      "a plan without actions",
      JSON.stringify({ ...file, plan: { formatVersion: 1 } }),
      "its plan is not a groupsync plan",
    ],
    [
      "a damaged plan, even with a matching planId",
      JSON.stringify({ ...file, plan: { ...plan, actions: [{ type: "add_member" }] } }),
      "its plan is not a groupsync plan: actions[0]",
    ],
    [
      "an edited plan",
      JSON.stringify({
        ...file,
        plan: { ...plan, actions: plan.actions.map((a) => ({ ...a, rule: "eve@example.com" })) },
      }),
      "does not match its planId (was it edited?)",
    ],
  ])("refuses %s with PLAN_FILE_INVALID", async (_, text, reason) => {
    const path = join(dir, "bad.json");
    await writeFile(path, text);
    await expect(readPlanFile(path, "bad.json")).rejects.toMatchObject({
      code: "PLAN_FILE_INVALID",
      message: expect.stringContaining(reason) as unknown,
    });
  });
});
