import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

// yaml prints every token (LOG_TOKENS) and every CST node (LOG_STREAM) to stdout when these are
// set; the bundle reads them as off (scripts/bundle.mjs), so a user's environment cannot mix
// yaml's debugging output into a plan.
describe("yaml's debugging switches", () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    await writeFile(
      join(dir, "groups.yaml"),
      "version: 1\ngroups:\n  vip:\n    name: VIP\n    members:\n      - email: ada@example.com\n",
    );
  });
  afterAll(() => remove());

  it("LOG_TOKENS and LOG_STREAM in the environment change nothing the CLI prints", async () => {
    const plain = await runCli(["validate"], { cwd: dir });
    const switched = await runCli(["validate"], { cwd: dir, env: { LOG_TOKENS: "1", LOG_STREAM: "1" } });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("is valid");
    expect(switched).toEqual(plain);
  });
});
