import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@groupsync/square-emulator";
import { cleanEnv, groupsync as run, type Outcome } from "./resilience/harness.js";

// Issue 6: every broken groups.yaml gives exit 1, one clear message and no call to Square.
const BAD = fileURLToPath(new URL("fixtures/bad/", import.meta.url));
const TOKEN = "EAAAl-SENTINEL-TOKEN-bad-input-0123456789";

function groupsync(args: string[], env: Record<string, string>): Promise<Outcome> {
  return run(args, cleanEnv(env));
}

let emulator: Emulator;
let scratch: string;
const fixtures: string[] = [];

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
  );
});
