import { open, readFile, rename } from "node:fs/promises";
import { existsSync } from "node:fs";
import type { SeedData } from "./types.js";

/** An error reading a seed or state file (message fit for a user). */
export class SeedFileError extends Error {
  readonly code = "EMULATOR_SEED_FILE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SeedFileError";
  }
}

/** Checks that `value` has the seed shape: `{groups: [...], customers: [...]}` with IDs. */
export function checkSeed(value: unknown, file: string): SeedData {
  if (typeof value !== "object" || value === null) throw new SeedFileError(`${file}: not a JSON object`);
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v["groups"]) || !Array.isArray(v["customers"])) {
    throw new SeedFileError(`${file}: expected {"groups": [...], "customers": [...]}`);
  }
  for (const [kind, list] of [
    ["groups", v["groups"]],
    ["customers", v["customers"]],
  ] as const) {
    (list as unknown[]).forEach((item, i) => {
      const o = item as Record<string, unknown> | null;
      if (typeof o !== "object" || o === null || typeof o["id"] !== "string") {
        throw new SeedFileError(`${file}: ${kind}[${i}] needs a string "id"`);
      }
      if (typeof o["created_at"] !== "string" || !Number.isFinite(Date.parse(o["created_at"]))) {
        throw new SeedFileError(`${file}: ${kind}[${i}] needs an RFC 3339 "created_at"`);
      }
    });
  }
  return value as SeedData;
}

/** Reads a seed or state file. */
export async function readSeedFile(file: string): Promise<SeedData> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new SeedFileError(`${file}: cannot read (${(cause as NodeJS.ErrnoException).code ?? "error"})`, {
      cause,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SeedFileError(`${file}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  return checkSeed(parsed, file);
}

/** Whether a state file exists yet. */
export function stateFileExists(file: string): boolean {
  return existsSync(file);
}

/** Writes `data` to `file` atomically: a temporary file beside it, then a rename. */
export async function writeStateFile(file: string, data: SeedData): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temp, "w");
  try {
    for (const chunk of seedJsonChunks(data)) await handle.write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/**
 * The JSON text of `data` in chunks of a few thousand profiles: one string holding a million
 * profiles would pass V8's maximum string length.
 */
export function* seedJsonChunks(data: SeedData): Generator<string> {
  yield `{"groups":${JSON.stringify(data.groups)},"customers":[`;
  const size = 5_000;
  for (let i = 0; i < data.customers.length; i += size) {
    const part = data.customers.slice(i, i + size).map((c) => JSON.stringify(c));
    yield (i === 0 ? "" : ",") + part.join(",");
  }
  yield "]}\n";
}
