import { EventEmitter } from "node:events";
import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { createStreamSink, openFileSink, OutputClosedError } from "./output-sink.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "groupsync-members-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const redact = (text: string) => text.split("SECRET-TOKEN").join("[REDACTED]");

describe("openFileSink", () => {
  it("leaves the old file in place until commit, then replaces it whole; no temporary file remains", async () => {
    const path = join(dir, "out.csv");
    await writeFile(path, "old\n");
    await chmod(path, 0o600);
    const sink = await openFileSink(path, "out.csv", redact);
    await sink.write("a,b\r\n");
    await sink.write("SECRET-TOKEN\r\n");
    expect(await readFile(path, "utf8")).toBe("old\n");
    await sink.commit();
    expect(await readFile(path, "utf8")).toBe("a,b\r\n[REDACTED]\r\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["out.csv"]);
  });

  it("abort keeps the old file and removes the temporary one", async () => {
    const path = join(dir, "out.csv");
    await writeFile(path, "old\n");
    const sink = await openFileSink(path, "out.csv", redact);
    await sink.write("half");
    await sink.abort();
    expect(await readFile(path, "utf8")).toBe("old\n");
    expect(await readdir(dir)).toEqual(["out.csv"]);
  });

  it("a missing directory is a CliError, not a stack trace", async () => {
    await expect(openFileSink(join(dir, "no", "out.csv"), "no/out.csv", redact)).rejects.toThrow(CliError);
  });
});

/** A writable whose buffer is "full" after every write until `drain`. */
class SlowStream extends EventEmitter {
  chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return false;
  }
}

describe("createStreamSink", () => {
  it("waits for drain when the stream is full, and redacts", async () => {
    const stream = new SlowStream();
    const sink = createStreamSink(stream, redact);
    let resolved = false;
    const written = sink.write("SECRET-TOKEN").then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    stream.emit("drain");
    await written;
    expect(stream.chunks).toEqual(["[REDACTED]"]);
    await sink.commit();
  });

  it("turns a closed pipe into OutputClosedError", async () => {
    const stream = new SlowStream();
    const sink = createStreamSink(stream, redact);
    const written = sink.write("x");
    stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    await expect(written).rejects.toThrow(OutputClosedError);
  });
});
