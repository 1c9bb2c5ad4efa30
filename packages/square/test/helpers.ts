import type { Emulator } from "@groupsync/square-emulator";
import { createSquareClient, type SquareClient, type SquareClientOptions } from "../src/index.js";

/** A client for the emulator with fast retries (tests must stay fast). */
export function clientFor(emulator: Emulator, options: Partial<SquareClientOptions> = {}): SquareClient {
  return createSquareClient({
    token: emulator.token,
    baseUrl: emulator.url,
    retry: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 10 },
    ...options,
  });
}

/** Calls per operation the emulator saw, without zero entries. */
export function callsSeen(emulator: Emulator): Record<string, number> {
  return Object.fromEntries(Object.entries(emulator.stats().calls).filter(([, n]) => n > 0));
}

/** Every own property of an error chain, stack included, as one string. */
export function serializeError(error: unknown): string {
  const seen = new Set<unknown>();
  const walk = (value: unknown): unknown => {
    if (value instanceof Error) {
      if (seen.has(value)) return "[cycle]";
      seen.add(value);
      const own: Record<string, unknown> = {};
      for (const key of Object.getOwnPropertyNames(value)) {
        own[key] = walk((value as unknown as Record<string, unknown>)[key]);
      }
      return {
        ...own,
        name: value.name,
        message: value.message,
        stack: value.stack,
        cause: walk(value.cause),
      };
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return `${JSON.stringify(walk(error))}\n${String(error)}\n${error instanceof Error ? (error.stack ?? "") : ""}`;
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
