import { randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError } from "./errors.js";

const READ_CHUNK = 1024 * 1024;

interface ReadOptions {
  readonly maxBytes: number;
  /** What the file is, for messages: `groups.yaml file`, `plan file`. */
  readonly what: string;
  /** The name messages use (default: `path`). */
  readonly display?: string;
}

/**
 * Reads a text file of at most `maxBytes` bytes as strict UTF-8: invalid UTF-8 is an error
 * rather than a file full of U+FFFD. A leading BOM is dropped.
 */
export async function readTextFile(path: string, options: ReadOptions): Promise<string> {
  const bytes = await readFileBytes(path, options);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CliError("GS_CLI_FILE_ENCODING", `${options.display ?? path} is not valid UTF-8 text.`, {
      hint: "Save the file as UTF-8 (it may be binary, or in another encoding such as Latin-1 or UTF-16).",
    });
  }
}

/**
 * Reads a file of at most `maxBytes` bytes. The size is checked before the content is read
 * (a 50 MB file is refused without loading it).
 */
export async function readFileBytes(path: string, options: ReadOptions): Promise<Buffer> {
  const name = options.display ?? path;
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileError(error, name, options.what);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      throw new CliError("GS_CLI_FILE_UNREADABLE", `${name} is a directory, not a ${options.what}.`);
    }
    if (info.size > options.maxBytes) throw tooLarge(name, info.size, options.maxBytes);
    // Read in chunks up to one byte more than allowed: files whose stat size lies (pipes,
    // /proc, a file growing meanwhile) are held to the limit too.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, options.maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > options.maxBytes) break;
    }
    const buffer = Buffer.concat(chunks, length);
    if (length > options.maxBytes) throw tooLarge(name, undefined, options.maxBytes);
    return buffer;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw fileError(error, name, options.what);
  } finally {
    await handle.close();
  }
}

/** `size` undefined: the file was read up to the limit and went on. */
function tooLarge(name: string, size: number | undefined, max: number): CliError {
  const actual = size === undefined ? "more than that" : formatBytes(size);
  return new CliError(
    "GS_CLI_FILE_TOO_LARGE",
    `${name} is too large: the limit is ${formatBytes(max)}, it holds ${actual}.`,
  );
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function fileError(error: unknown, path: string, what: string): CliError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") {
    return new CliError("GS_CLI_FILE_NOT_FOUND", `${path} does not exist.`, {
      cause: error,
      ...(what === "config file"
        ? { hint: 'Pass --file PATH, or create one from your account with "groupsync import".' }
        : {}),
    });
  }
  if (code === "EISDIR")
    return new CliError("GS_CLI_FILE_UNREADABLE", `${path} is a directory, not a ${what}.`);
  const reason =
    code === "EACCES" || code === "EPERM" ? "permission denied" : String(code ?? "unknown error");
  return new CliError("GS_CLI_FILE_UNREADABLE", `Cannot read ${path}: ${reason}.`, { cause: error });
}

/** Whether `path` exists (any kind of entry). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same directory, flushed, then
 * renamed over the target. A reader (or a crash) sees the old file or the new one, never half.
 * Every file the CLI writes may hold personal data (emails, phones, names): a new one is 0600,
 * an existing one keeps its mode, unless `private` (plan and state files, the CLI's own): then
 * 0600 always. `redact` (the token redactor) sees the text last.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { private?: boolean; display?: string; redact?: (text: string) => string } = {},
): Promise<void> {
  const content = options.redact === undefined ? text : options.redact(text);
  let mode = 0o600;
  if (options.private !== true) {
    try {
      mode = (await stat(path)).mode & 0o777;
    } catch {
      // new file: owner only
    }
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as { code?: unknown } | null)?.code;
    throw new CliError(
      "GS_CLI_FILE_UNWRITABLE",
      `Cannot write ${options.display ?? path}: ${String(code ?? error)}.`,
      { cause: error },
    );
  }
}
