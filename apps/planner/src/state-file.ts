import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileAtomic, readTextFile } from "./files.js";

/**
 * `.groupsync/state.json` beside groups.yaml: the IDs of customer profiles that apply created,
 * per Square endpoint. Search lags behind writes (DESIGN.md §1), so the next plan passes them
 * to the reader as `knownProfileIds` and finds them through BulkRetrieve instead of creating
 * them again. Entries older than STATE_TTL_MS are dropped: by then search has caught up.
 * The file is a cache: a missing or damaged one is ignored.
 */
export interface StateFile {
  readonly version: 1;
  readonly endpoints: Record<string, { readonly createdCustomers: ReadonlyArray<CreatedCustomer> }>;
}

export interface CreatedCustomer {
  readonly id: string;
  /** RFC 3339, when apply created it. */
  readonly createdAt: string;
}

const STATE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_STATE_BYTES = 16 * 1024 * 1024;

export function statePath(configPath: string): string {
  return join(dirname(configPath), ".groupsync", "state.json");
}

async function readState(path: string): Promise<StateFile> {
  try {
    const parsed = JSON.parse(
      await readTextFile(path, { maxBytes: MAX_STATE_BYTES, what: "state file" }),
    ) as unknown;
    if (isStateFile(parsed)) return parsed;
  } catch {
    // a cache: start afresh
  }
  return { version: 1, endpoints: {} };
}

function isStateFile(value: unknown): value is StateFile {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { version?: unknown; endpoints?: unknown };
  return v.version === 1 && typeof v.endpoints === "object" && v.endpoints !== null;
}

/** IDs of profiles created recently against `endpoint`. */
export async function readKnownProfileIds(path: string, endpoint: string, now: Date): Promise<string[]> {
  const state = await readState(path);
  const entries = state.endpoints[endpoint]?.createdCustomers ?? [];
  return fresh(entries, now).map((e) => e.id);
}

/** Adds `ids` (created by an apply) to the state file, atomically. */
export async function rememberCreatedCustomers(
  path: string,
  endpoint: string,
  ids: readonly string[],
  now: Date,
  redact: (text: string) => string,
): Promise<void> {
  if (ids.length === 0) return;
  const state = await readState(path);
  const previous = fresh(state.endpoints[endpoint]?.createdCustomers ?? [], now);
  const seen = new Set(previous.map((e) => e.id));
  const added = ids.filter((id) => !seen.has(id)).map((id) => ({ id, createdAt: now.toISOString() }));
  const next: StateFile = {
    version: 1,
    endpoints: { ...state.endpoints, [endpoint]: { createdCustomers: [...previous, ...added] } },
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, {
    display: ".groupsync/state.json",
    redact,
    private: true,
  });
}

function fresh(entries: ReadonlyArray<CreatedCustomer>, now: Date): CreatedCustomer[] {
  const cutoff = now.getTime() - STATE_TTL_MS;
  return entries.filter(
    (e) => typeof e?.id === "string" && typeof e.createdAt === "string" && Date.parse(e.createdAt) >= cutoff,
  );
}
