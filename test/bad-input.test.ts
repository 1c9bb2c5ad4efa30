import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cleanEnv, groupsync as run, type Outcome } from "./resilience/harness.js";

// Issue 6: every broken groups.yaml gives exit 1, one clear message and no call to Square.
const BAD = fileURLToPath(new URL("fixtures/bad/", import.meta.url));
const BAD_CSV = fileURLToPath(new URL("fixtures/bad-csv/", import.meta.url));
const TOKEN = "EAAAl-SENTINEL-TOKEN-bad-input-0123456789";

function groupsync(args: string[], env: Record<string, string>): Promise<Outcome> {
  return run(args, cleanEnv(env));
}

let emulator: Emulator;
let scratch: string;
const fixtures: string[] = [];
/** One groups.yaml per members file of the CSV corpus, in a folder of its own beside the file. */
const csvFixtures: Array<{ config: string; csv: string }> = [];

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN });
  scratch = await mkdtemp(join(tmpdir(), "groupsync-bad-"));
  // A file far above the size limit is made here rather than committed.
  const huge = join(scratch, "huge-50mb.yaml");
  const line = "      - email: someone@example.com\n";
  await writeFile(
    huge,
    "version: 1\ngroups:\n  vip:\n    name: VIP\n    members:\n" + line.repeat((50 * 2 ** 20) / line.length),
  );
  fixtures.push(...(await readdir(BAD)).sort().map((name) => join(BAD, name)), huge);
  // Members files: each beside a groups.yaml that also lists inline@example.com, as a rule the
  // file may repeat. The one over the size limit is made here.
  const config = (csv: string) =>
    `version: 1\ngroups:\n  conf:\n    name: Conference\n    members:\n      - email: inline@example.com\n    members_file: ${csv}\n`;
  const names = (await readdir(BAD_CSV)).sort();
  for (const name of [...names, "huge-65mb.csv"]) {
    const dir = join(scratch, name.replace(/\.csv$/, ""));
    await mkdir(dir);
    if (name === "huge-65mb.csv") {
      const row = "someone@example.com,Someone\n";
      await writeFile(join(dir, name), "email,name\n" + row.repeat(Math.ceil((65 * 2 ** 20) / row.length)));
    } else await copyFile(join(BAD_CSV, name), join(dir, name));
    await writeFile(join(dir, "groups.yaml"), config(name));
    csvFixtures.push({ config: join(dir, "groups.yaml"), csv: name });
  }
});

afterAll(async () => {
  await emulator?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the bad-input corpus (test/fixtures/bad)", () => {
  it("holds at least 40 broken files", async () => {
    expect((await readdir(BAD)).length).toBeGreaterThanOrEqual(40);
  });

  it.each(["validate", "plan"])(
    "`groupsync %s` rejects each file with exit 1 and one clear message",
    async (command) => {
      const env = { SQUARE_ACCESS_TOKEN: TOKEN, SQUARE_BASE_URL: emulator.url };
      const before = emulator.stats().total;
      const failures: string[] = [];
      // Two at a time: the machine has two cores.
      const queue = [...fixtures];
      const worker = async () => {
        for (let file = queue.shift(); file; file = queue.shift()) {
          const { code, stdout, stderr } = await groupsync([command, "--file", file], env);
          const name = file.slice(file.lastIndexOf("/") + 1);
          const problems: string[] = [];
          if (code !== 1) problems.push(`exit ${code}`);
          if (!stderr.includes(name)) problems.push("the message does not name the file");
          if (/^\s+at .+\(.+:\d+:\d+\)$/m.test(stderr + stdout)) problems.push("a stack trace");
          if ((stderr + stdout).includes(TOKEN)) problems.push("the token");
          if (stderr.trim().length === 0 || stderr.length > 4000)
            problems.push(`a message of ${stderr.length} chars`);
          if (problems.length > 0) failures.push(`${name}: ${problems.join(", ")}\n${stderr}`);
        }
      };
      await Promise.all([worker(), worker()]);
      expect(failures).toEqual([]);
      expect(emulator.stats().total - before).toBe(0);
    },
    // Some 70 processes, two at a time, on a machine that may be shared.
    180_000,
  );
});

describe("the bad members files (test/fixtures/bad-csv)", () => {
  it("holds at least 15 broken files", async () => {
    expect((await readdir(BAD_CSV)).length).toBeGreaterThanOrEqual(15);
  });

  it.each(["validate", "plan"])(
    "`groupsync %s` rejects each with exit 1 and one clear message at file:line:col",
    async (command) => {
      const env = { SQUARE_ACCESS_TOKEN: TOKEN, SQUARE_BASE_URL: emulator.url };
      const before = emulator.stats().total;
      const failures: string[] = [];
      const queue = [...csvFixtures];
      const worker = async () => {
        for (let fixture = queue.shift(); fixture; fixture = queue.shift()) {
          const { code, stdout, stderr } = await groupsync([command, "--file", fixture.config], env);
          const problems: string[] = [];
          if (code !== 1) problems.push(`exit ${code}`);
          const at = new RegExp(`${fixture.csv.replace(/[.]/g, "\\.")}:\\d+:\\d+: `);
          if (!at.test(stderr)) problems.push("no file:line:col of the members file");
          if (/^\s+at .+\(.+:\d+:\d+\)$/m.test(stderr + stdout)) problems.push("a stack trace");
          if ((stderr + stdout).includes(TOKEN)) problems.push("the token");
          if (stderr.trim().length === 0 || stderr.length > 4000)
            problems.push(`a message of ${stderr.length} chars`);
          if (problems.length > 0) failures.push(`${fixture.csv}: ${problems.join(", ")}\n${stderr}`);
        }
      };
      await Promise.all([worker(), worker()]);
      expect(failures).toEqual([]);
      expect(emulator.stats().total - before).toBe(0);
    },
    // Some 70 processes, two at a time, on a machine that may be shared.
    180_000,
  );
});
