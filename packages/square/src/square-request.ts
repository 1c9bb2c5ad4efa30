import type { SquareOperation } from "./errors.js";

/** One request to Square, before it is sent (pure data). */
export interface SquareRequest {
  readonly operation: SquareOperation;
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under the base URL, starting with `/v2/`; path segments already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /**
   * Which waiting request gets the next free slot: the highest priority, then the one waiting
   * longest [0]. A reader gives the pages of a long chain (pages that follow each other by
   * cursor) priority over work that can run any time, so the chains do not end last.
   */
  readonly priority?: number;
}

/** `?key=value&...` of a request's query, its undefined values left out; "" when none is left. */
export function queryString(query: SquareRequest["query"]): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
