import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { groupsync, tempDir } from "./support/run-cli.js";

// Issue 17: `import` then `plan` says `No changes.` for any group name Square accepts (non-blank,
// at most 255 characters): the file keeps the exact live name, and nothing between the file and
// the plan trims, folds or re-normalizes it (a difference in case or spacing is a rename).
const TOKEN = "EAAAl-import-roundtrip-token-0123456789";
const AT = "2023-01-01T00:00:00.000Z";

/** Pieces names are made of: spacing, Unicode forms, case, emoji, quotes, YAML's syntax. */
const FRAGMENTS = [
  " ",
  "  ",
  "\t",
  " \t ",
  "\u00a0",
  "Café", // NFC
  "Cafe\u0301", // NFD
  "VIP",
  "vip",
  "ÅNGSTRÖM",
  "😀",
  "👩‍👩‍👧",
  "'",
  '"',
  "''",
  ": ",
  "#",
  " #x",
  "- ",
  "&a",
  "*a",
  "!t",
  "%p",
  "@x",
  "?",
  "? ",
  "{}",
  "[]",
  "{a: b}",
  "[a, b]",
  "|",
  ">",
  "yes",
  "no",
  "Off",
  "null",
  "~",
  "1e3",
  "0x1F",
  "2022",
  "---",
  "...",
  "\\",
  "\\n",
  "\n",
  "\u001b[1m",
  "\u202e",
];

const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
);
/** A name Square accepts: non-blank, at most 255 characters. */
const groupName = fc
  .array(fragment, { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join(""))
  .filter((name) => name.trim() !== "" && name.length <= 255);
/** Names of one account, distinct as plan matches them (two live groups of one name are an error). */
const accountNames = fc.uniqueArray(groupName, {
  minLength: 1,
  maxLength: 6,
  selector: (name) => name.normalize("NFC").trim().replace(/\s+/gu, " ").toLowerCase(),
});

/** The cases issue 17 names, one account. */
const NAMED = [
  "  Leading",
  "Trailing  ",
  "Inner   runs\t\tof  spacing",
  "\tTabbed\t",
  "Café",
  "Cafe\u0301 NFD",
  "MiXeD CaSe",
  "😀 Emoji 👩‍👩‍👧",
  `"Double" and 'single'`,
  "key: value",
  "# not a comment",
  "- not a list",
  "&anchor",
  "*alias",
  "!tag",
  "%directive",
  "@at",
  "? question",
  "'quoted'",
  '"quoted"',
  "{}",
  "[]",
  "yes",
  "no",
  "null",
  "1e3",
];

function seed(names: readonly string[]): SeedData {
  return {
    groups: names.map((name, i) => ({
      id: `GROUNDTRIP${String(i).padStart(15, "0")}`,
      name,
      created_at: AT,
      updated_at: AT,
    })),
    // One member each, so that the file holds rules too.
    customers: names.map((_, i) => ({
      id: `CROUNDTRIP${String(i).padStart(16, "0")}`,
      created_at: AT,
      updated_at: AT,
      email_address: `member${i}@example.com`,
      group_ids: [`GROUNDTRIP${String(i).padStart(15, "0")}`],
      version: 0,
    })),
  };
}

let emulator: Emulator;
let env: Record<string, string>;
let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN });
  env = { SQUARE_ACCESS_TOKEN: TOKEN, SQUARE_BASE_URL: emulator.url, NO_COLOR: "1" };
  ({ dir, remove } = await tempDir());
});
afterAll(async () => {
  await emulator?.stop();
  await remove?.();
});

async function importThenPlan(names: readonly string[]): Promise<void> {
  emulator.reset(seed(names));
  const imported = await groupsync(["import", "--force"], { cwd: dir, env });
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stdout).toContain(`${names.length} groups`);
  const plan = await groupsync(["plan"], { cwd: dir, env });
  expect(plan.code, plan.stderr).toBe(0);
  expect(plan.stdout, JSON.stringify(names)).toBe("No changes.\n");
}

describe("import then plan", () => {
  it("says No changes. for the names issue 17 lists", async () => {
    await importThenPlan(NAMED);
  });

  it("says No changes. for any names Square accepts (property)", async () => {
    await fc.assert(fc.asyncProperty(accountNames, importThenPlan), { numRuns: 6 });
  });
});
