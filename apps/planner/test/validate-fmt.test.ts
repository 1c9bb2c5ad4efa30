import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

const VALID = `version: 1
groups:
  vip:
    name: VIP
    members:
      - email: ada@example.com
      - phone: "+1 415-555-0100"
`;

let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => ({ dir, remove } = await tempDir()));
afterAll(() => remove());

async function file(name: string, text: string | Buffer): Promise<string> {
  await writeFile(join(dir, name), text);
  return name;
}

// Independent files and processes: run concurrently.
describe.concurrent("groupsync validate", () => {
  it("accepts a valid file and counts what it holds (exit 0)", async () => {
    const name = await file("valid.yaml", VALID);
    const result = await runCli(["validate", "--file", name], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: "valid.yaml is valid: 1 group, 2 member rules.\n" });
  });

  it("reads ./groups.yaml by default", async () => {
    await file("groups.yaml", VALID);
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("groups.yaml is valid");
  });

  it("reports a bad phone with file:line:col and the source line (exit 1)", async () => {
    const name = await file("bad-phone.yaml", VALID.replace('"+1 415-555-0100"', '"+1 555"'));
    const result = await runCli(["validate", "-f", name], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^bad-phone\.yaml:7:16: .*phone.*\+1 555/m);
    expect(result.stderr).toContain('    7 |       - phone: "+1 555"');
    expect(result.stderr).toContain("Error: bad-phone.yaml is not valid (1 problem).");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a missing file with a hint", async () => {
    const result = await runCli(["validate", "--file", "nope.yaml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error: nope.yaml does not exist.");
    expect(result.stderr).toContain("groupsync import");
  });

  it("refuses a file over the size limit without parsing it", async () => {
    const name = await file("huge.yaml", Buffer.alloc(17 * 1024 * 1024, 0x61));
    const result = await runCli(["validate", "--file", name], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("huge.yaml is too large");
  });

  it("refuses invalid UTF-8 with its position", async () => {
    const name = await file("latin1.yaml", Buffer.from("version: 1\ngroups:\n  caf\xe9:\n", "latin1"));
    const result = await runCli(["validate", "--file", name], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^latin1\.yaml:3:6: .*UTF-8/m);
  });
});

describe.concurrent("groupsync fmt", () => {
  const messy = `# the VIPs
groups:
  vip:
    members:
      - email: ada@example.com   # Ada
    name: VIP
version: 1
`;

  it("--check exits 1 on an unformatted file and leaves it alone", async () => {
    const name = await file("messy.yaml", messy);
    const result = await runCli(["fmt", "--check", "--file", name], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error: messy.yaml is not formatted.");
    expect(await readFile(join(dir, name), "utf8")).toBe(messy);
  });

  it("rewrites in place atomically, keeps comments, and is then idempotent", async () => {
    const name = await file("messy2.yaml", messy);
    const first = await runCli(["fmt", "--file", name], { cwd: dir });
    expect(first).toMatchObject({ code: 0, stdout: "messy2.yaml formatted.\n" });
    const formatted = await readFile(join(dir, name), "utf8");
    expect(formatted).not.toBe(messy);
    expect(formatted).toContain("# Ada");
    expect(formatted.indexOf("version")).toBeLessThan(formatted.indexOf("groups"));
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const check = await runCli(["fmt", "--check", "--file", name], { cwd: dir });
    expect(check.code).toBe(0);
  });

  it("refuses to format an invalid file", async () => {
    const name = await file("broken.yaml", "version: 1\ngroups: [\n");
    const result = await runCli(["fmt", "--file", name], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^broken\.yaml:\d+:\d+: /m);
  });
});

describe.concurrent("command line", () => {
  it("--version prints the version", async () => {
    const result = await runCli(["--version"], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^groupsync \d+\.\d+\.\d+\n$/) });
  });

  it("--help lists every command; each command has its own --help", async () => {
    const main = await runCli(["--help"], { cwd: dir });
    expect(main.code).toBe(0);
    const commands = ["validate", "plan", "apply", "import", "fmt"];
    const helps = await Promise.all(commands.map((command) => runCli([command, "--help"], { cwd: dir })));
    commands.forEach((command, i) => {
      expect(main.stdout).toContain(`  ${command} `);
      expect(helps[i]?.code).toBe(0);
      expect(helps[i]?.stdout).toContain(`Usage: groupsync ${command}`);
      expect(helps[i]?.stdout).toContain("--no-color");
    });
  });

  it("an unknown command or option is a usage error (exit 1, no stack)", async () => {
    const unknown = await runCli(["frobnicate"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Error: Unknown command "frobnicate".');
    const option = await runCli(["validate", "--nope"], { cwd: dir });
    expect(option.code).toBe(1);
    expect(option.stderr).toContain("Error: Unknown option '--nope'.");
    expect(option.stderr).toContain('Run "groupsync validate --help"');
  });

  it("no command prints the help on stderr and exits 1", async () => {
    const result = await runCli([], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Usage: groupsync <command>");
  });
});
