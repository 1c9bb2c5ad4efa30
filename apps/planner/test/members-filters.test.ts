import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { run } from "../src/run.js";
import { runCli } from "./helpers.js";
import { cli, dir, emulator, env, expected, ids, useMembersAccount } from "./members-account.js";

useMembersAccount();

// Read-only against one seed: the cases run side by side (each spawns a process).
describe.concurrent("groupsync members: all, any, not", () => {
  it.each([
    [["GA"], "all", []],
    [["GA", "GB"], "all", []],
    [["GA", "GB"], "any", []],
    [["GA", "GB", "GC"], "all", []],
    [["GA"], "all", ["GB"]],
    [["GA", "GB"], "any", ["GC"]],
    [["GA", "GB"], "all", ["GC"]],
    [[], "all", ["GA", "GB"]],
  ] as const)("%j --%s --not %j", async (include, mode, exclude) => {
    const args = [...include, `--${mode}`, ...(exclude.length === 0 ? [] : ["--not", exclude.join(",")])];
    const want = expected([...include], mode, [...exclude]);
    expect(want.length).toBeGreaterThan(0);
    expect(await ids(args)).toEqual(want);
  });

  it("--not repeated leaves out every group named, as a comma-separated list does", async () => {
    const want = expected([], "all", ["GA", "GB"]);
    expect(await ids(["--not", "GA", "--not", "GB"])).toEqual(want);
    expect(await ids(["GA", "--any", "--not", "GB", "--not", "GC"])).toEqual(
      expected(["GA"], "any", ["GB", "GC"]),
    );
  });

  it("finds groups by key of groups.yaml, by name (any case and spacing) and by ID", async () => {
    const want = expected(["GA", "GB"], "all", ["GC"]);
    expect(await ids(["summer-conf-2022", "vip", "--not", "Staff"])).toEqual(want);
    expect(await ids(["  summer CONFERENCE 2022", "GB", "--not", "staff"])).toEqual(want);
  });

  it("reports what it listed and the calls it made; the token never shows", async () => {
    const result = await cli(["GA", "GB", "--any", "--not", "GC"]);
    expect(result.code).toBe(0);
    const count = expected(["GA", "GB"], "any", ["GC"]).length;
    expect(result.stderr).toContain(
      `Listed ${count} profiles in any of "Summer Conference 2022", "VIP", not in "Staff".`,
    );
    expect(result.stderr).toMatch(/API calls: 2 \(ListCustomerGroups 1, SearchCustomers 1\)/);
    expect(result.stdout + result.stderr).not.toContain(emulator.token);
  });

  it("an unknown group exits 1 naming it and the groups it knows; nothing on stdout", async () => {
    const result = await cli(["vip", "no-such-group", "--format", "csv"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('Error: Unknown group "no-such-group"');
    expect(result.stderr).toContain("Keys in groups.yaml: summer-conf-2022, vip.");
    expect(result.stderr).toContain('"Summer Conference 2022" (GA), "VIP" (GB), "Staff" (GC)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("--help says that search lags and what --consistent does; groupsync --help lists members", async () => {
    const [help, main] = await Promise.all([cli(["--help"]), runCli(["--help"], { cwd: dir })]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: groupsync members GROUP...");
    expect(help.stdout).toMatch(/Search lags/);
    expect(help.stdout).toMatch(/--consistent confirms every listed profile with\nBulkRetrieveCustomers/);
    expect(main.stdout).toContain("  members ");
  });

  it("refuses bad options before any call (in-process: run() with injected io)", async () => {
    for (const args of [
      ["GA", "--all", "--any"],
      ["GA", "--format", "xml"],
      ["GA", "--fields", "id,ssn"],
      ["--all"],
      ["GA", "--not", "GA"],
    ]) {
      let stdout = "";
      let stderr = "";
      const code = await run(["members", ...args], {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        stdin: Readable.from([]),
        env,
        cwd: dir,
      });
      expect(code, args.join(" ")).toBe(1);
      expect(stdout).toBe("");
      expect(stderr, args.join(" ")).toMatch(/Error: .*\nHint: Run "groupsync members --help"/);
    }
  });
});
