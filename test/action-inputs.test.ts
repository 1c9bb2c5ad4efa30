// Issue 18: the Action's inputs as action.yml declares them, and where its GitHub token may go.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { FakeGitHub } from "./support/github-api.js";
import {
  ACTION_YML,
  action,
  github,
  outputFile,
  partsDir,
  planArgs,
  PR,
  SCRIPT,
  useActionHarness,
} from "./support/action-harness.js";

useActionHarness();

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
