// The account the `groupsync members` test files share (one emulator per file, on the same seed).
import type { Emulator, SeedData } from "@groupsync/square-emulator";
import { afterAll, beforeAll, expect } from "vitest";
import { runCli, startAccount, type Account } from "./helpers.js";

export type Customer = SeedData["customers"][number];

const T0 = Date.UTC(2023, 0, 1);
export const at = (i: number) => new Date(T0 + i * 1000).toISOString();
export const group = (id: string, name: string) => ({ id, name, created_at: at(0), updated_at: at(0) });

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

export const AWKWARD_NAMES: ReadonlyArray<[string, string]> = [
  ['Ada "The Countess"', "Lovelace, Byron"],
  ["Line\nBreak", "Carriage\r\nReturn"],
  ["  Leading", "Trailing  "],
  ["Zoë", "Ñúñez 😀"],
  ["Cafe\u0301", "עברית"],
  ["=SUM(A1:A2)", "+1-2"],
  ["Comma,", '"'],
];

export function awkward(): Customer[] {
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

export const SEED: SeedData = {
  groups: [...GROUPS, group("GAWK", 'Awkward, "Names"')],
  customers: [...overlapping(), ...awkward()],
};

// Live bindings: set by the hooks below, read by the tests of the file that calls them.
export let emulator: Emulator;
export let env: Record<string, string>;
export let dir: string;
let account: Account;

/** Before the calling file's tests: the emulator on SEED, and a groups.yaml in `dir`. After: gone. */
export function useMembersAccount(): void {
  beforeAll(async () => {
    account = await startAccount(SEED, [
      "version: 1",
      "groups:",
      "  summer-conf-2022:",
      "    name: Summer Conference 2022",
      "    members: []",
      "  vip:",
      "    name: VIP",
      "    members: []",
    ]);
    ({ emulator, env, dir } = account);
  });
  afterAll(() => account.stop());
}

export const cli = (args: string[]) => runCli(["members", ...args], { cwd: dir, env });

export async function ids(args: string[]): Promise<string[]> {
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
export function expected(include: string[], mode: "all" | "any", exclude: string[]): string[] {
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
