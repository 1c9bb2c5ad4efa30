import { escapeText } from "@groupsync/core/sanitize";
import {
  createSquareClient,
  type CallStats,
  type SquareClient,
  type WaitingRequest,
} from "@groupsync/square";
import { stringOption, type CommandContext } from "./command.js";
import { readTarget, type Target } from "./credentials.js";
import { parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";
import { progressIsInteractive } from "./io.js";
import { createProgress, type Progress } from "./progress.js";

const MAX_CONCURRENCY = 256;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 3_600_000;
/** On a terminal, a request that has waited this long is named in the progress line. */
const WAIT_NOTE_MS = 2_000;
/** Off a terminal (CI logs), a line for each try that has waited this long. */
const WAIT_LINE_MS = 10_000;

/** A client for the target the environment names, and the moment it started (for the report). */
export interface Connection {
  readonly client: SquareClient;
  readonly target: Target;
  readonly startedAt: number;
  /** Caps concurrency, as `--concurrency` asked (undefined: the client's default). */
  readonly concurrency: number | undefined;
  /** Progress on stderr; it also says when Square is slow to answer. */
  readonly progress: Progress;
  /** Ends the progress and its waiting notes, and closes the client. */
  close(): Promise<void>;
}

/** Parses `--concurrency`: an integer from 1 to 256. */
export function concurrencyOption(context: CommandContext, command: string): number | undefined {
  const raw = stringOption(context, "concurrency");
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not "${raw}".`,
      command,
    );
  }
  return n;
}

/** Parses `--timeout`: a duration from 100ms to 1h (undefined: the client's default, 30 s). */
export function timeoutOption(context: CommandContext, command: string): number | undefined {
  const raw = stringOption(context, "timeout");
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    throw new UsageError(
      `--timeout takes a duration with its unit, like 500ms, 30s or 2m, not "${raw}".`,
      command,
    );
  }
  if (ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout must be from 100ms to 1h, not "${raw}".`, command);
  }
  return ms;
}

/**
 * A client for the target the environment names, with `--concurrency`, `--timeout` and the
 * command's interrupt signal, and the command's progress.
 */
export function connect(context: CommandContext, command: string): Connection {
  const target = readTarget(context.io.env);
  const concurrency = concurrencyOption(context, command);
  const timeout = timeoutOption(context, command);
  const signal = context.io.signal;
  const client = createSquareClient({
    token: target.token,
    ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }),
    ...(target.environment === undefined ? {} : { environment: target.environment }),
    ...(concurrency === undefined
      ? {}
      : { maxConcurrency: concurrency, initialConcurrency: Math.min(8, concurrency) }),
    ...(timeout === undefined ? {} : { requestTimeoutMs: timeout }),
    ...(signal === undefined ? {} : { signal }),
    ...(context.debug
      ? { logger: (line: string) => context.output.err(`debug: ${escapeText(line)}\n`) }
      : {}),
  });
  const tty = progressIsInteractive(context.io);
  const progress = createProgress(context.output, { tty });
  const stopWatching = watchWaits(client, progress, tty);
  return {
    client,
    target,
    startedAt: performance.now(),
    concurrency,
    progress,
    close: async () => {
      stopWatching();
      progress.done();
      await client.close();
    },
  };
}

/**
 * Says when Square is slow to answer: on a terminal, the progress line names the request that
 * has waited longest (from 2 s on, counting); elsewhere, one line per try that waits 10 s.
 */
function watchWaits(client: SquareClient, progress: Progress, tty: boolean): () => void {
  let reported = -1;
  const timer = setInterval(() => {
    const waiting = client.waiting();
    if (tty) {
      progress.waiting(
        waiting !== undefined && waiting.waitingMs >= WAIT_NOTE_MS ? describeWait(waiting) : undefined,
      );
    } else if (waiting !== undefined && waiting.waitingMs >= WAIT_LINE_MS && waiting.serial !== reported) {
      reported = waiting.serial;
      progress.waiting(describeWait(waiting));
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** `waiting for Square (ListCustomerGroups, 12 s)...`, with the try from the second on. */
export function describeWait(waiting: WaitingRequest): string {
  const tries = waiting.attempt > 1 ? `, try ${waiting.attempt}` : "";
  return `waiting for Square (${waiting.operation}, ${Math.floor(waiting.waitingMs / 1000)} s${tries})...`;
}

/** The closing line of every networked command: the calls this connection made, and how long it took. */
export function describeCalls(connection: Connection): string {
  return `${formatCalls(connection.client.stats(), performance.now() - connection.startedAt)}\n`;
}

/** `API calls: 7 (ListCustomerGroups 1, SearchCustomers 4, BulkRetrieveCustomers 2) in 0.31 s.` */
export function formatCalls(stats: CallStats, elapsedMs: number): string {
  const parts = Object.entries(stats.calls)
    .filter(([, n]) => n > 0)
    .map(([operation, n]) => `${operation} ${n}`);
  const extra: string[] = [];
  if (stats.retries > 0) extra.push(`${stats.retries} retried`);
  if (stats.rateLimited > 0) extra.push(`${stats.rateLimited} rate-limited (429)`);
  const list = parts.length === 0 ? "" : ` (${parts.join(", ")})`;
  const more = extra.length === 0 ? "" : `; ${extra.join(", ")}`;
  return `API calls: ${stats.total}${list}${more} in ${(elapsedMs / 1000).toFixed(2)} s.`;
}
