import { escapeText } from "@groupsync/core";
import { createSquareClient, type CallStats, type SquareClient } from "@groupsync/square";
import { stringOption, type CommandContext } from "./command.js";
import { readTarget, type Target } from "./credentials.js";
import { UsageError } from "./errors.js";

const MAX_CONCURRENCY = 256;

/** A client for the target the environment names, and the moment it started (for the report). */
export interface Connection {
  readonly client: SquareClient;
  readonly target: Target;
  readonly startedAt: number;
  /** Caps concurrency, as `--concurrency` asked (undefined: the client's default). */
  readonly concurrency: number | undefined;
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

export function connect(context: CommandContext, command: string): Connection {
  const target = readTarget(context.io.env);
  const concurrency = concurrencyOption(context, command);
  const client = createSquareClient({
    token: target.token,
    ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }),
    ...(target.environment === undefined ? {} : { environment: target.environment }),
    ...(concurrency === undefined
      ? {}
      : { maxConcurrency: concurrency, initialConcurrency: Math.min(8, concurrency) }),
    ...(context.debug
      ? { logger: (line: string) => context.output.err(`debug: ${escapeText(line)}\n`) }
      : {}),
  });
  return { client, target, startedAt: performance.now(), concurrency };
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
