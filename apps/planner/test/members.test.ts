import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../src/run.js";
import { CLI, runCli, runCliInTerminal, tempDir } from "./helpers.js";

type Customer = SeedData["customers"][number];

const T0 = Date.UTC(2023, 0, 1);
const at = (i: number) => new Date(T0 + i * 1000).toISOString();
const group = (id: string, name: string) => ({ id, name, created_at: at(0), updated_at: at(0) });

/**
 * Three overlapping groups: two profiles for each of the eight subsets of {A, B, C}, plus
 * profiles whose names are what CSV and terminals find hardest.
 */
const GROUPS = [group("GA", "Summer Conference 2022"), group("GB", "VIP"), group("GC", "Staff")];
const IDS = ["GA", "GB", "GC"];

function overlapping(): Customer[] {
  const out: Customer[] = [];
  for (let mask = 0; mask < 8; mask++) {
    for (const copy of [0, 1]) {
      const n = out.length + 1;
      out.push({
        id: `CSET${mask}${copy}`,
        given_name: `Set${mask}`,
        family_name: `Copy${copy}`,
        email_address: `set${mask}.${copy}@example.com`,
        phone_number: `+1415555${String(n).padStart(4, "0")}`,
        group_ids: IDS.filter((_, bit) => (mask & (1 << bit)) !== 0),
        created_at: at(n),
        updated_at: at(n),
        version: 0,
      } as Customer);
    }
  }
  return out;
}

const AWKWARD_NAMES: ReadonlyArray<[string, string]> = [
  ['Ada "The Countess"', "Lovelace, Byron"],
  ["Line\nBreak", "Carriage\r\nReturn"],
  ["  Leading", "Trailing  "],
  ["Zoë", "Ñúñez 😀"],
  ["Cafe\u0301", "עברית"],
  ["=SUM(A1:A2)", "+1-2"],
  ["Comma,", '"'],
];

function awkward(): Customer[] {
  return AWKWARD_NAMES.map(([given, family], i) => ({
    id: `CAWK${i}`,
    given_name: given,
    family_name: family,
    email_address: `awk${i}@example.com`,
    group_ids: ["GAWK"],
    created_at: at(100 + i),
    updated_at: at(100 + i),
    version: 0,
  })) as Customer[];
}

const SEED: SeedData = {
  groups: [...GROUPS, group("GAWK", 'Awkward, "Names"')],
  customers: [...overlapping(), ...awkward()],
};

let emulator: Emulator;
let env: Record<string, string>;
let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED });
  env = { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url };
  ({ dir, remove: removeDir } = await tempDir());
  await writeFile(
    join(dir, "groups.yaml"),
    [
      "version: 1",
      "groups:",
      "  summer-conf-2022:",
      "    name: Summer Conference 2022",
      "    members: []",
      "  vip:",
      "    name: VIP",
      "    members: []",
      "",
    ].join("\n"),
  );
});
afterAll(async () => {
  await emulator.stop();
  await removeDir();
});

const cli = (args: string[]) => runCli(["members", ...args], { cwd: dir, env });

async function ids(args: string[]): Promise<string[]> {
  const result = await cli([...args, "--format", "ndjson"]);
  expect(result.stderr).not.toContain(emulator.token);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { id: string }).id)
    .sort();
}

/** The oracle: the seed's profiles whose group_ids pass the filter, by set logic. */
function expected(include: string[], mode: "all" | "any", exclude: string[]): string[] {
  return SEED.customers
    .filter((c) => {
      const groups = c.group_ids ?? [];
      const listed =
        include.length === 0 ||
        (mode === "all" ? include.every((g) => groups.includes(g)) : include.some((g) => groups.includes(g)));
      return listed && !exclude.some((g) => groups.includes(g));
    })
    .map((c) => c.id)
    .sort();
}

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

describe.concurrent("groupsync members: formats", () => {
  it("CSV with quotes, commas, newlines and unicode in names parses back to the profiles", async () => {
    const out = join(dir, "awkward.csv");
    const result = await cli([
      'Awkward, "Names"',
      "--out",
      out,
      "--fields",
      "id,given_name,family_name,email_address,group_ids",
      "--csv-raw",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    const records: unknown = parse(await readFile(out, "utf8"), { columns: true });
    expect(records).toEqual(
      awkward().map((c) => ({
        id: c.id,
        given_name: c.given_name,
        family_name: c.family_name,
        email_address: c.email_address,
        group_ids: "GAWK",
      })),
    );
  });

  it("json is the same profiles as ndjson, as one array", async () => {
    const json = await cli(["GAWK", "--format", "json"]);
    const ndjson = await cli(["GAWK", "--format", "ndjson"]);
    expect(JSON.parse(json.stdout)).toEqual(
      ndjson.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    );
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(AWKWARD_NAMES.length);
  });

  it("in a terminal: a table by default, progress and the report on stderr", async () => {
    const result = await runCliInTerminal(["members", "GA"], { cwd: dir, env, input: "" });
    expect(result.code, result.stdout).toBe(0);
    const screen = result.stdout.replace(/\r/g, "");
    expect(screen).toMatch(
      /id +given_name +family_name +email_address +phone_number +created_at +group_ids\n-+ +-{10} /,
    );
    expect(screen).toMatch(/CSET10 +Set1 +Copy0 +set1\.0@example\.com/);
    const count = expected(["GA"], "all", []).length;
    expect(screen).toContain(`] ${count}/${count} profiles (page 1)`);
    expect(screen).toContain(`Listed ${count} profiles in "Summer Conference 2022".`);
  });

  it("--redact masks emails, phones and names", async () => {
    const result = await cli([
      "GA",
      "--format",
      "csv",
      "--redact",
      "--csv-raw",
      "--fields",
      "id,given_name,family_name,email_address,phone_number",
    ]);
    const rows = parse(result.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(expected(["GA"], "all", []).length);
    for (const row of rows) {
      expect(row["given_name"]).toMatch(/^S\*\*\*$/);
      expect(row["family_name"]).toMatch(/^C\*\*\*$/);
      expect(row["email_address"]).toMatch(/^s\*\*\*@e\*\*\*\.com$/);
      expect(row["phone_number"]).toMatch(/^\+1\*{6}\d{4}$/);
    }
    expect(result.stdout).not.toContain("@example.com");
    expect(result.stdout).not.toMatch(/Set\d|Copy\d/);
  });
});

describe("groupsync members --consistent", () => {
  it("confirms through BulkRetrieve: drops who left or was deleted while search lags, says how many", async () => {
    emulator.store.setSearchLag(600_000);
    try {
      // Search still sees these two in Staff; Retrieve sees the truth.
      emulator.store.setMembership("CSET40", "GC", false);
      emulator.store.deleteCustomer("CSET41");
      emulator.store.updateCustomer("CSET50", { given_name: "Renamed" });
      const staff = expected(["GC"], "all", []);
      expect(await ids(["Staff"])).toEqual(staff);

      const result = await cli(["Staff", "--consistent", "--format", "ndjson"]);
      expect(result.code, result.stderr).toBe(0);
      const listed = result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { id: string; given_name: string });
      expect(listed.map((c) => c.id).sort()).toEqual(
        staff.filter((id) => id !== "CSET40" && id !== "CSET41"),
      );
      expect(listed.find((c) => c.id === "CSET50")?.given_name).toBe("Renamed");
      expect(result.stderr).toContain(
        `Confirmed ${staff.length - 2} profiles with BulkRetrieveCustomers; dropped 2 that search still listed: 1 no longer matching the groups, 1 deleted.`,
      );
      expect(result.stderr).toContain("1 profile changed since search indexed them");
      expect(result.stderr).toMatch(/SearchCustomers 1, BulkRetrieveCustomers 1\)/);
    } finally {
      emulator.store.flushSearch();
      emulator.store.setSearchLag(0);
    }
  });
});

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
