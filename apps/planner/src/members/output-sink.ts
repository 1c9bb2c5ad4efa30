import { randomBytes } from "node:crypto";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError } from "../errors.js";

/** Where an export goes, written page by page. */
export interface Sink {
  /** Writes a chunk; resolves when the destination can take more (backpressure). */
  write(text: string): Promise<void>;
  /** Finishes: for a file, flushes it and puts it in place. */
  commit(): Promise<void>;
  /** Gives up: for a file, removes the temporary file and leaves the target as it was. */
  abort(): Promise<void>;
}

/** The reader of stdout went away (`groupsync members ... | head`): stop quietly. */
export class OutputClosedError extends Error {
  override readonly name = "OutputClosedError";
}

/** A writable the way `Io.stdout` is typed, plus the stream events when it has them. */
interface Writable {
  write(chunk: string): unknown;
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * A sink over stdout. Waits for `drain` when the stream says its buffer is full, so that a
 * slow reader (a pipe, a terminal) never makes the export buffer the whole group in memory.
 * Every chunk passes through `redact` (the access token never reaches output).
 */
export function createStreamSink(stream: Writable, redact: (text: string) => string): Sink {
  let failure: unknown;
  const onError = (error: unknown) => {
    failure ??= error;
  };
  stream.on?.("error", onError);
  const check = () => {
    if (failure === undefined) return;
    const code = (failure as { code?: unknown }).code;
    if (code === "EPIPE" || code === "ERR_STREAM_DESTROYED") throw new OutputClosedError("stdout closed");
    throw failure;
  };
  return {
    async write(text) {
      check();
      const ok = stream.write(redact(text));
      if (ok === false && stream.once !== undefined) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off?.("drain", done);
            stream.off?.("error", done);
            resolve();
          };
          stream.once?.("drain", done);
          stream.once?.("error", done);
        });
      }
      check();
    },
    async commit() {
      stream.off?.("error", onError);
      check();
    },
    async abort() {
      stream.off?.("error", onError);
    },
  };
}

/**
 * A sink over a file written atomically: a temporary file beside `path`, renamed over it once
 * complete and flushed. A reader (or a crash, or Ctrl-C) sees the old file or the new one,
 * never half an export. An existing file's mode is kept.
 */
export async function openFileSink(
  path: string,
  display: string,
  redact: (text: string) => string,
): Promise<Sink> {
  // A new export is owner-only: it holds personal data.
  let mode = 0o600;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    // a new file: the default mode
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fail = (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    return new CliError("GS_CLI_FILE_UNWRITABLE", `Cannot write ${display}: ${String(code ?? error)}.`, {
      cause: error,
    });
  };
  let handle: FileHandle;
  try {
    handle = await open(temp, "wx", mode);
  } catch (error) {
    throw fail(error);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(text) {
      try {
        await handle.write(redact(text), null, "utf8");
      } catch (error) {
        throw fail(error);
      }
    },
    async commit() {
      try {
        await handle.sync();
        await close();
        await rename(temp, path);
      } catch (error) {
        await close().catch(() => undefined);
        await rm(temp, { force: true });
        throw fail(error);
      }
    },
    async abort() {
      await close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
