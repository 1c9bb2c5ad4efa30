import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { EMULATOR_CLI, groupsync, runNode, tempDir } from "./support/run-cli.js";

// Issue 17, point 9: Terraform habits and small truths, through the built CLIs.
const TOKEN = "EAAAl-small-truths-token-0123456789";
const AT = "2023-01-01T00:00:00.000Z";
const VIP = "GVIPSMALL0000000000000001";
const OLD = "GOLDSMALL0000000000000001";

function seed(): SeedData {
  return {
    groups: [
      { id: VIP, name: "VIP", created_at: AT, updated_at: AT },
      { id: OLD, name: "Old", created_at: AT, updated_at: AT },
    ],
    customers: [
      {
        id: "CADASMALL000000000000000001",
        created_at: AT,
        updated_at: AT,
        given_name: "Ada",
        family_name: "Lovelace",
        email_address: "ada@example.com",
        group_ids: [VIP],
        version: 0,
      },
    ],
  };
}

const PIN = `version: 1
unmanaged_groups: delete
groups:
  vip:
    name: VIP
    members:
      - email: ada@example.com
      - email: grace@example.com
        # no such profile: created
    missing: create
`;

let emulator: Emulator;
let env: Record<string, string>;
let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN, seed: seed() });
  env = { SQUARE_ACCESS_TOKEN: TOKEN, SQUARE_BASE_URL: emulator.url, NO_COLOR: "1" };
  ({ dir, remove } = await tempDir());
});
afterAll(async () => {
  await emulator?.stop();
  await remove?.();
});

const cli = (args: string[], cwd = dir) => groupsync(args, { cwd, env });
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe("Terraform's single-dash long options", () => {
  beforeEach(async () => {
    emulator.reset(seed());
    await writeFile(join(dir, "pin.yaml"), PIN);
  });

  it("-out=FILE, -detailed-exitcode, -no-color, -json and -auto-approve work as their -- spellings", async () => {
    const plan = await cli([
      "plan",
      "-file=pin.yaml",
      "-out=plan.json",
      "-detailed-exitcode",
      "-no-color",
      "-allow-delete",
    ]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stderr).toContain("Saved the plan to plan.json");
    const json = await cli(["plan", "-f", "pin.yaml", "-json", "-allow-delete"]);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { formatVersion: number }).formatVersion).toBe(2);
    const apply = await cli(["apply", "-auto-approve", "-file", "pin.yaml", "-allow-delete"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain("Apply complete!");
  });

  it("an unknown one is refused by its own name, not as a short option", async () => {
    const result = await cli(["plan", "-var-file=x.tfvars"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: Unknown option "-var-file".');
    expect(result.stderr).not.toContain("'-v'");
  });
});

describe("square-emulator --help", () => {
  it.each([["--help"], ["serve", "--help"], ["generate", "--help"], ["serve", "-h"]])(
    "square-emulator %s prints the usage and exits 0",
    async (...args) => {
      const result = await runNode(EMULATOR_CLI, args, { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("square-emulator serve");
    },
  );
});

describe("--file pin.yaml", () => {
  beforeEach(() => emulator.reset(seed()));

  it("every message of plan, apply, validate and members names pin.yaml, never groups.yaml", async () => {
    const own = await tempDir();
    try {
      // Two entries claiming VIP (a plan error), and Old deleted.
      await writeFile(
        join(own.dir, "pin.yaml"),
        `version: 1\nunmanaged_groups: delete\ngroups:\n  vip:\n    name: Renamed\n    id: ${VIP}\n  again:\n    name: VIP\n`,
      );
      await writeFile(join(own.dir, "bad.yaml"), "version: 1\ngroups:\n  vip:\n    name: 12\n---\n");
      await mkdir(join(own.dir, "dir.yaml"));
      const runs = await Promise.all([
        cli(["plan", "--file", "pin.yaml"], own.dir),
        cli(["plan", "--file", "pin.yaml", "--format", "markdown"], own.dir),
        cli(["apply", "--auto-approve", "--file", "pin.yaml"], own.dir),
        cli(["validate", "--file", "bad.yaml"], own.dir),
        cli(["validate", "--file", "dir.yaml"], own.dir),
        cli(["members", "nobody", "--file", "pin.yaml"], own.dir),
      ]);
      for (const result of runs) {
        expect(result.code).toBe(1);
        expect(result.stdout + result.stderr).not.toContain("groups.yaml");
      }
      expect(runs[0]?.stderr).toContain("Error: pin.yaml cannot be applied to this account (1 error).");
      expect(runs[5]?.stderr).toContain("not a key of pin.yaml");

      const deleting = await tempDir();
      try {
        await writeFile(join(deleting.dir, "pin.yaml"), PIN);
        const plan = await cli(["plan", "--file", "pin.yaml", "--allow-delete"], deleting.dir);
        expect(plan.stdout).toContain(
          `# group["${OLD}"] will be deleted (not in pin.yaml, unmanaged_groups: delete)`,
        );
        expect(plan.stdout + plan.stderr).not.toContain("groups.yaml");
      } finally {
        await deleting.remove();
      }
    } finally {
      await own.remove();
    }
  });

  it("the hint to pin a group with id: is not given for a group already pinned", async () => {
    const own = await tempDir();
    try {
      // vip is pinned; again claims the same group by name: only again can be pinned.
      await writeFile(
        join(own.dir, "pin.yaml"),
        `version: 1\ngroups:\n  vip:\n    name: Renamed\n    id: ${VIP}\n  again:\n    name: VIP\n`,
      );
      const mixed = await cli(["plan", "--file", "pin.yaml"], own.dir);
      expect(mixed.stdout).toContain('hint: pin "again" with `id:` (its own Square group ID), or rename it');
      expect(mixed.stdout).not.toMatch(/pin "vip"|pin the group/);
      // Both pinned to one ID: pinning is not the fix.
      await writeFile(
        join(own.dir, "pin.yaml"),
        `version: 1\ngroups:\n  vip:\n    name: VIP\n    id: ${VIP}\n  again:\n    name: Again\n    id: ${VIP}\n`,
      );
      const both = await cli(["plan", "--file", "pin.yaml"], own.dir);
      expect(both.code).toBe(1);
      expect(both.stdout).toContain("two entries cannot have the same `id:`");
      expect(both.stdout).not.toContain("pin the group with");
    } finally {
      await own.remove();
    }
  });
});

describe("files holding personal data are owner-only", () => {
  beforeEach(() => emulator.reset(seed()));

  it("plan files, the state file, members exports and import's file are written 0600", async () => {
    const own = await tempDir();
    try {
      await writeFile(join(own.dir, "pin.yaml"), PIN);
      // An existing plan file readable by all is tightened: the CLI owns it.
      await writeFile(join(own.dir, "plan.json"), "{}");
      await chmod(join(own.dir, "plan.json"), 0o644);
      const plan = await cli(["plan", "--file", "pin.yaml", "--out", "plan.json", "--allow-delete"], own.dir);
      expect(plan.code, plan.stderr).toBe(0);
      expect(await modeOf(join(own.dir, "plan.json"))).toBe(0o600);

      const apply = await cli(["apply", "plan.json"], own.dir);
      expect(apply.code, apply.stderr).toBe(0);
      const state = join(own.dir, ".groupsync", "state.json");
      expect(await readFile(state, "utf8")).toContain("createdCustomers");
      expect(await modeOf(state)).toBe(0o600);

      const members = await cli(["members", "VIP", "--out", "vip.csv"], own.dir);
      expect(members.code, members.stderr).toBe(0);
      expect(await modeOf(join(own.dir, "vip.csv"))).toBe(0o600);

      const imported = await cli(["import", "--file", "imported.yaml"], own.dir);
      expect(imported.code, imported.stderr).toBe(0);
      expect(await modeOf(join(own.dir, "imported.yaml"))).toBe(0o600);
    } finally {
      await own.remove();
    }
  });
});
