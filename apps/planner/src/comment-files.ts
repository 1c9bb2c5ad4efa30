import { randomBytes } from "node:crypto";
import { access, constants, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { CliError } from "./errors.js";

/** `plan-1.md`, `plan-2.md`, ...: the files `plan --out-dir` writes (and removes when stale). */
const PART_FILE = /^plan-([1-9]\d*)\.md$/;

/**
 * Checks, before the account is read, that `dir` is (or can become) a folder this process can
 * write: a file there, or a folder without write permission, is an error now rather than after a
 * long read. Creates the folder (and its parents) when missing.
 */
export async function prepareOutDir(dir: string, display: string): Promise<void> {
  try {
    const info = await stat(dir).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === "ENOENT") return undefined;
      throw error;
    });
    if (info !== undefined && !info.isDirectory()) {
      throw new CliError("GS_CLI_FILE_UNWRITABLE", `--out-dir ${display} is not a directory.`);
    }
    if (info === undefined) await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw unwritable(error, display);
  }
}

/**
 * Writes the comment parts to `dir` as `plan-1.md`, `plan-2.md`, ..., then removes the
 * `plan-N.md` left by an earlier run with more parts. All parts are written to temporary files
 * (flushed) before any is renamed into place, so a failed write leaves the earlier set whole.
 * Returns the file names written.
 */
export async function writeCommentFiles(
  dir: string,
  display: string,
  parts: readonly string[],
  redact: (text: string) => string,
): Promise<string[]> {
  const names = parts.map((_, i) => `plan-${i + 1}.md`);
  const temps: string[] = [];
  try {
    for (const [i, part] of parts.entries()) {
      const temp = join(dir, `.${names[i] ?? ""}.${randomBytes(6).toString("hex")}.tmp`);
      temps.push(temp);
      // Owner-only: with --no-redact a comment holds personal data.
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(redact(part), "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [i, temp] of temps.entries()) await rename(temp, join(dir, names[i] ?? ""));
    for (const entry of await readdir(dir)) {
      const n = PART_FILE.exec(entry)?.[1];
      if (n !== undefined && Number(n) > parts.length) await rm(join(dir, entry), { force: true });
    }
  } catch (error) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    throw unwritable(error, display);
  }
  return names;
}

function unwritable(error: unknown, display: string): CliError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : code === "ENOTDIR" || code === "EEXIST"
        ? "a file is in the way"
        : String(code ?? error);
  return new CliError("GS_CLI_FILE_UNWRITABLE", `Cannot write to --out-dir ${display}: ${reason}.`, {
    cause: error,
  });
}
