import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SeedData } from "@groupsync/square-emulator";
import stringWidth from "string-width";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startAccount, tempDir, type Account } from "./helpers.js";

const AT = "2023-01-01T00:00:00.000Z";
const customer = (id: string, given: string, family: string, email: string, groups: string[]) => ({
  id,
  given_name: given,
  family_name: family,
  email_address: email,
  group_ids: groups,
  created_at: AT,
  updated_at: AT,
  version: 0,
});

/** Names a terminal draws two columns wide (CJK, emoji) or with a mark that takes none. */
const SEED: SeedData = {
  groups: [{ id: "GWIDE", name: "国際 VIP", created_at: AT, updated_at: AT }],
  customers: [
    customer("CADA", "Ada", "Lovelace", "ada@example.com", ["GWIDE"]),
    customer("CYAMADA", "山田", "太郎", "yamada@example.jp", ["GWIDE"]),
    customer("CPARTY", "🎉", "Party", "party@example.com", ["GWIDE"]),
    customer("CJOSE", "Jose\u0301", "Núñez", "jose@example.com", ["GWIDE"]),
    customer("CLEE", "이", "서연", "lee@example.kr", []),
  ],
};

let account: Account;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  account = await startAccount(SEED, [
    "version: 1",
    "groups:",
    "  vip:",
    "    name: 国際 VIP",
    "    members:",
    "      - email: ada@example.com",
    "      - email: lee@example.kr",
  ]);
  ({ env, dir } = account);
});
afterAll(() => account.stop());

/** The display column at which `marker` starts on `line`. */
const columnOf = (line: string, marker: string): number => stringWidth(line.slice(0, line.indexOf(marker)));

describe.concurrent("wide characters line up", () => {
  it("in the text plan: the notes start at one column after CJK, emoji and combined names", async () => {
    const result = await runCli(["plan"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const entries = result.stdout.split("\n").filter((line) => /^ {6}[+-] /.test(line));
    expect(entries).toEqual([
      "      + 이 서연 <lee@example.kr>                 matched by lee@example.kr",
      "      - Jose\u0301 Núñez <jose@example.com> [CJOSE]    no rule matches",
      "      - 🎉 Party <party@example.com> [CPARTY]    no rule matches",
      "      - 山田 太郎 <yamada@example.jp> [CYAMADA]  no rule matches",
    ]);
    const notes = entries.map((line) => columnOf(line, line.includes("matched") ? "matched" : "no rule"));
    expect(new Set(notes).size).toBe(1);
  });

  it("in the members table: every column starts at the same display column on every row", async () => {
    const result = await runCli(
      ["members", "GWIDE", "--format", "table", "--fields", "id,given_name,family_name,email_address"],
      { cwd: dir, env },
    );
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.trimEnd().split("\n");
    expect(rows).toEqual([
      "id       given_name  family_name  email_address",
      "-------  ----------  -----------  -----------------",
      "CADA     Ada         Lovelace     ada@example.com",
      "CJOSE    Jose\u0301        Núñez        jose@example.com",
      "CPARTY   🎉          Party        party@example.com",
      "CYAMADA  山田        太郎         yamada@example.jp",
    ]);
    // Where each cell starts (after two spaces), in display columns: the header's, on every row.
    const starts = (row: string) => [
      0,
      ...[...row.matchAll(/(?<= {2})\S/g)].map((m) => stringWidth(row.slice(0, m.index))),
    ];
    for (const row of rows.slice(2)) expect(starts(row), row).toEqual(starts(rows[0] ?? ""));
  });

  it("colours once for everything: FORCE_COLOR off a terminal, --no-color wins, config problems too", async () => {
    const [forced, noColor, plain] = await Promise.all([
      runCli(["plan"], { cwd: dir, env: { ...env, FORCE_COLOR: "1" } }),
      runCli(["plan", "--no-color"], { cwd: dir, env: { ...env, FORCE_COLOR: "1" } }),
      runCli(["plan"], { cwd: dir, env }),
    ]);
    expect(forced.stdout).toContain(
      "\u001b[31m      - 山田 太郎 <yamada@example.jp> [CYAMADA]  no rule matches\u001b[39m",
    );
    expect(noColor.stdout).toBe(plain.stdout);
    expect(plain.stdout).not.toContain("\u001b[");

    const bad = await tempDir();
    try {
      await writeFile(
        join(bad.dir, "groups.yaml"),
        "version: 1\ngroups:\n  vip:\n    name: 国際\n    members: [{email: 'no'}]\n",
      );
      const invalid = await runCli(["validate"], { cwd: bad.dir, env: { FORCE_COLOR: "1" } });
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain("\u001b[31m");
      expect(invalid.stderr).toContain("\u001b[2m");
    } finally {
      await bad.remove();
    }
  });
});
