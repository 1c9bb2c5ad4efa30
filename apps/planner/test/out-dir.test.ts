import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

// `plan --format markdown --out-dir DIR` (DESIGN.md §5): one file per pull-request comment.
const ADDS = 1200;
const at = "2024-03-01T10:00:00.000Z";
/** Long addresses, so that 1,200 of them are well over one comment. */
const emailOf = (i: number): string =>
  `attendee.with.a.rather.long.mailbox.name.${String(i).padStart(4, "0")}@events.example.com`;

function seed(): SeedData {
  return {
    groups: [{ id: "GATTENDEES000000000000001", name: "Attendees", created_at: at, updated_at: at }],
    customers: Array.from({ length: ADDS }, (_, i) => ({
      id: `CATT${String(i).padStart(22, "0")}`,
      created_at: at,
      updated_at: at,
      email_address: emailOf(i),
      group_ids: [],
      version: 0,
    })),
  };
}

const CONFIG = [
  "version: 1",
  "groups:",
  "  attendees:",
  "    name: Attendees",
  "    members:",
  ...Array.from({ length: ADDS }, (_, i) => `      - email: ${emailOf(i)}`),
  "",
].join("\n");

let emulator: Emulator;
let env: Record<string, string>;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ seed: seed() });
  env = { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url, NO_COLOR: "1" };
  ({ dir, remove: removeDir } = await tempDir());
  await writeFile(join(dir, "groups.yaml"), CONFIG);
});
afterAll(async () => {
  await emulator.stop();
  await removeDir();
});

async function parts(outDir: string): Promise<string[]> {
  const names = (await readdir(outDir)).filter((n) => /^plan-\d+\.md$/.test(n));
  names.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  return Promise.all(names.map((n) => readFile(join(outDir, n), "utf8")));
}

describe("plan --out-dir", () => {
  it("splits 1,200 long-email adds into comment files under 65,535 characters, none dropped", async () => {
    const out = join(dir, "comments");
    // A stale part from an earlier, longer plan is removed.
    await mkdir(out);
    await writeFile(join(out, "plan-9.md"), "stale\n");
    const result = await runCli(
      ["plan", "--format", "markdown", "--out-dir", "comments", "--out", "plan.json"],
      {
        cwd: dir,
        env,
      },
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const files = await parts(out);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(await readdir(out)).toEqual(files.map((_, i) => `plan-${i + 1}.md`).sort());
    expect(result.stderr).toContain(
      `Wrote the plan as ${files.length} comments: comments/plan-1.md, comments/plan-2.md`,
    );
    for (const file of files) expect(file.length).toBeLessThan(65_535);
    expect(files[0]?.split("\n")[0]).toBe("**Plan: 0 to create, 0 to rename, 1200 to add, 0 to remove.**");
    expect(files.slice(1).every((f) => !f.includes("**Plan:"))).toBe(true);
    // Every action (one add per address) is in exactly one file, once.
    const plan = JSON.parse(await readFile(join(dir, "plan.json"), "utf8")) as {
      plan: { actions: Array<{ type: string; address: string; identity: { email: string } }> };
    };
    const adds = plan.plan.actions.filter((a) => a.type === "add_member");
    expect(adds).toHaveLength(ADDS);
    const all = files.join("\n");
    for (const add of adds) {
      expect(add.address).toBe(`member.attendees["${add.identity.email}"]`);
      expect(all.split(add.identity.email).length - 1, add.address).toBe(1);
    }
    expect(all).toContain("  # group.attendees (continued)");
  });

  it("writes one file, the markdown stdout would show, when the plan fits; stale parts removed", async () => {
    const small = join(dir, "small");
    await mkdir(small);
    await writeFile(join(small, "groups.yaml"), CONFIG.split("\n").slice(0, 8).join("\n") + "\n");
    for (const n of [1, 2, 3]) await writeFile(join(small, `plan-${n}.md`), "stale\n");
    await writeFile(join(small, "plan-notes.md"), "kept\n");
    const stdout = await runCli(["plan", "--format", "markdown"], { cwd: small, env });
    const result = await runCli(["plan", "--format", "markdown", "--out-dir", "."], { cwd: small, env });
    expect(result.code).toBe(0);
    expect(await parts(small)).toEqual([stdout.stdout]);
    expect((await readdir(small)).sort()).toEqual(["groups.yaml", "plan-1.md", "plan-notes.md"]);
  });

  it.each([
    ["a file", "groups.yaml", /^Error: --out-dir groups\.yaml is not a directory\.\n$/],
    [
      "under a file",
      "groups.yaml/parts",
      /^Error: Cannot write to --out-dir groups\.yaml\/parts: a file is in the way\.\n$/,
    ],
  ])("refuses %s in one line, exit 1, before reading the account", async (_what, outDir, message) => {
    const before = emulator.stats().total;
    const result = await runCli(["plan", "--format", "markdown", "--out-dir", outDir], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(emulator.stats().total).toBe(before);
  });

  it("refuses a folder it cannot write in one line", async () => {
    // root writes through permission bits: then a procfs folder nobody may write stands in.
    const root = process.getuid?.() === 0;
    const locked = root ? "/proc/1" : join(dir, "locked");
    if (!root) {
      await mkdir(locked);
      await chmod(locked, 0o555);
    }
    const result = await runCli(["plan", "--format", "markdown", "--out-dir", locked], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Error: Cannot write to --out-dir ${locked}: permission denied.\n`);
  });

  it("is a usage error without --format markdown", async () => {
    const result = await runCli(["plan", "--out-dir", "comments"], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--out-dir writes pull-request comments: use it with --format markdown.");
  });
});
