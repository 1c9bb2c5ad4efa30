import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { runCliInTerminal } from "./helpers.js";
import { AWKWARD_NAMES, awkward, cli, dir, env, expected, useMembersAccount } from "./members-account.js";

useMembersAccount();

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
