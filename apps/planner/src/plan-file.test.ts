import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diff, type Plan } from "@groupsync/core";
import {
  desired as desiredState,
  email,
  group,
  live as liveState,
  liveGroup,
  profile,
} from "@groupsync/core/test-support";
import { planId } from "@groupsync/square";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlanFile, readPlanFile, writePlanFile } from "./plan-file.js";

const desired = desiredState([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]);
const live = liveState(
  [liveGroup("G1", "VIP")],
  [profile("C1", { createdAt: "2022-01-01T00:00:00Z", emailAddress: "ada@example.com" })],
);
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

  it("reads a plan of formatVersion 1 (an older groupsync's), its warning codes renamed", async () => {
    const older = {
      ...plan,
      formatVersion: 1,
      warnings: [{ code: "rule_not_found", group: "vip", message: "m" }],
    };
    const written = { ...file, plan: older, planId: planId(older as unknown as Plan) };
    const path = join(dir, "older.json");
    await writeFile(path, JSON.stringify(written));
    const read = await readPlanFile(path, "older.json");
    expect(read.plan).toEqual({
      ...plan,
      formatVersion: 2,
      warnings: [{ code: "GS_CORE_RULE_NOT_FOUND", group: "vip", message: "m" }],
    });
    expect(read.planId).toBe(written.planId);
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
  ])("refuses %s with GS_CLI_PLAN_FILE_INVALID", async (_, text, reason) => {
    const path = join(dir, "bad.json");
    await writeFile(path, text);
    await expect(readPlanFile(path, "bad.json")).rejects.toMatchObject({
      code: "GS_CLI_PLAN_FILE_INVALID",
      message: expect.stringContaining(reason) as unknown,
    });
  });
});
