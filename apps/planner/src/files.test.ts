import { mkdtemp, readFile, readdir, rm, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "./errors.js";
import { readTextFile, writeFileAtomic } from "./files.js";

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), "groupsync-files-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

const read = (path: string, maxBytes = 100) =>
  readTextFile(path, { maxBytes, what: "test file", display: "f" });

describe("readTextFile", () => {
  it("reads UTF-8 and drops a BOM", async () => {
    await writeFile(join(dir, "a"), "\uFEFFcafé");
    expect(await read(join(dir, "a"))).toBe("café");
  });

  it.each([
    ["too large", Buffer.alloc(101, 0x61), "GS_CLI_FILE_TOO_LARGE"],
    ["not UTF-8", Buffer.from([0x63, 0xe9, 0x0a]), "GS_CLI_FILE_ENCODING"],
  ])("refuses a file %s", async (_, bytes, code) => {
    await writeFile(join(dir, "b"), bytes);
    await expect(read(join(dir, "b"))).rejects.toMatchObject({ code });
  });

  it("says a missing file does not exist", async () => {
    await expect(read(join(dir, "missing"))).rejects.toBeInstanceOf(CliError);
    await expect(read(join(dir, "missing"))).rejects.toMatchObject({ code: "GS_CLI_FILE_NOT_FOUND" });
  });
});

describe("writeFileAtomic", () => {
  it("replaces the file, keeps its mode and leaves no temporary file", async () => {
    const path = join(dir, "c.yaml");
    await writeFile(path, "old");
    await chmod(path, 0o600);
    await writeFileAtomic(path, "new");
    expect(await readFile(path, "utf8")).toBe("new");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("passes the text through the redactor last", async () => {
    const path = join(dir, "d.json");
    await writeFileAtomic(path, '{"t":"secret-token"}', {
      redact: (t) => t.replaceAll("secret-token", "[REDACTED]"),
    });
    expect(await readFile(path, "utf8")).toBe('{"t":"[REDACTED]"}');
  });

  it("fails with a clear error in a missing directory", async () => {
    await expect(writeFileAtomic(join(dir, "no", "such", "x"), "x")).rejects.toMatchObject({
      code: "GS_CLI_FILE_UNWRITABLE",
    });
  });
});
