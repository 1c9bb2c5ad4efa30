import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { CLI } from "./helpers.js";
import { at, dir, emulator, env, group, SEED, useMembersAccount, type Customer } from "./members-account.js";

useMembersAccount();

/** A module the child loads first: at exit it writes its peak RSS (KiB) to MEMBERS_RSS_FILE. */
const RSS_PRELOAD = `import { writeFileSync } from "node:fs";
process.on("exit", () => writeFileSync(process.env.MEMBERS_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

/** Runs the built CLI under the preload; stdout is counted, not kept. */
function runMeasured(args: string[]): Promise<{ code: number | null; stderr: string; rssKiB: number }> {
  const rssFile = join(dir, `rss-${args.join("-").replace(/\W/g, "")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", join(dir, "rss.mjs"), CLI, "members", ...args], {
      cwd: dir,
      env: { PATH: process.env["PATH"] ?? "", ...env, MEMBERS_RSS_FILE: rssFile },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      readFile(rssFile, "utf8").then((kib) => resolve({ code, stderr, rssKiB: Number(kib) }), reject);
    });
  });
}

/**
 * Reads an export line by line (never whole): its line count, first and last data rows, and
 * whether the IDs (zero-padded, numbered in created order) strictly increase, which with the
 * count means every member exactly once, in order.
 */
async function readExport(
  path: string,
): Promise<{ lines: number; first?: string; last?: string; ordered: boolean }> {
  let lines = 0;
  let first: string | undefined;
  let last: string | undefined;
  let previous = "";
  let ordered = true;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (lines === 1) first = line;
    if (lines > 0) {
      const id = line.slice(0, line.indexOf(","));
      if (id <= previous) ordered = false;
      previous = id;
    }
    last = line;
    lines++;
  }
  return {
    lines,
    ordered,
    ...(first === undefined ? {} : { first }),
    ...(last === undefined ? {} : { last }),
  };
}

describe("groupsync members: a 250,000-member group in constant memory", () => {
  const BIG = 250_000;
  const SMALL = 50_000;

  it("exports 50,000 and 250,000 members with the same peak RSS", async () => {
    // One account: every profile in "Everyone", the first 50,000 also in "First Fifty".
    const customers = new Array<Customer>(BIG);
    for (let i = 0; i < BIG; i++) {
      const created = at(1_000 + i);
      customers[i] = {
        id: `CBIG${String(i).padStart(10, "0")}`,
        given_name: `Given ${i}`,
        family_name: `Family, "${i}"`,
        email_address: `member${i}@example.com`,
        phone_number: `+1415${String(i).padStart(7, "0")}`,
        group_ids: i < SMALL ? ["GEVERY", "GFIFTY"] : ["GEVERY"],
        created_at: created,
        updated_at: created,
        version: 0,
      } as Customer;
    }
    emulator.reset({ groups: [group("GEVERY", "Everyone"), group("GFIFTY", "First Fifty")], customers });
    await writeFile(join(dir, "rss.mjs"), RSS_PRELOAD);
    try {
      const figures: Record<string, { rssMiB: number; seconds: number }> = {};
      for (const [name, size] of [
        ["First Fifty", SMALL],
        ["Everyone", BIG],
      ] as const) {
        const out = join(dir, `${size}.csv`);
        const started = performance.now();
        const result = await runMeasured([name, "--out", out]);
        const seconds = (performance.now() - started) / 1000;
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toContain(`Listed ${size} profiles in "${name}"`);
        const file = await readExport(out);
        expect(file.lines).toBe(size + 1);
        expect(file.ordered).toBe(true);
        expect(file.first).toBe(
          `CBIG0000000000,Given 0,"Family, ""0""",member0@example.com,+14150000000,${at(1_000)},GEVERY;GFIFTY`,
        );
        expect(file.last?.startsWith(`CBIG${String(size - 1).padStart(10, "0")},`)).toBe(true);
        figures[size] = { rssMiB: result.rssKiB / 1024, seconds };
      }
      // A reader that goes away (`| head`): the export stops quietly, exit 0, no stack trace.
      const closed = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, "members", "Everyone", "--format", "ndjson"], {
          cwd: dir,
          env: { PATH: process.env["PATH"] ?? "", ...env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.stdout.once("data", () => child.stdout.destroy());
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stderr }));
      });
      expect(closed.code, closed.stderr).toBe(0);
      expect(closed.stderr).not.toContain("Error");
      const searches = Number(/SearchCustomers (\d+)/.exec(closed.stderr)?.[1]);
      expect(searches).toBeLessThan(BIG / 100 / 2);

      const small = figures[SMALL];
      const big = figures[BIG];
      console.log(
        `groupsync members peak RSS: ${SMALL} members ${small?.rssMiB.toFixed(1)} MiB in ${small?.seconds.toFixed(1)} s; ` +
          `${BIG} members ${big?.rssMiB.toFixed(1)} MiB in ${big?.seconds.toFixed(1)} s`,
      );
      // Flat: five times the members, not more than 20% (and 24 MiB) more memory. Holding the
      // profiles would cost ~1 KiB each: 200+ MiB more for the 200,000 extra.
      expect(big?.rssMiB).toBeLessThan((small?.rssMiB ?? 0) * 1.2);
      expect((big?.rssMiB ?? 0) - (small?.rssMiB ?? 0)).toBeLessThan(24);
    } finally {
      emulator.reset(SEED);
    }
  }, 60_000);
});
