import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error.js";
import type { FaultInjector } from "./faults.js";
import { readBody, send, sendError } from "./http-io.js";
import { matchOperation } from "./operations.js";
import { serveOperation, type ServeContext } from "./serve-operation.js";
import type { EmulatorStats } from "./types.js";

export interface ApiHandlerDeps {
  readonly serve: ServeContext;
  readonly faults: FaultInjector;
  /** The current counters (replaced on reset). */
  readonly stats: () => EmulatorStats;
  /** Called when a request changed the data (schedules a state-file save). */
  readonly onChange: () => void;
}

/**
 * Answers one Square API request: counts it, then injects latency and faults (429, 5xx,
 * connection resets) before serving it, as a flaky network and a busy Square would.
 */
export function createApiHandler(deps: ApiHandlerDeps) {
  const { faults } = deps;
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const stats = deps.stats();
    stats.total++;
    const method = req.method ?? "GET";
    let match: ReturnType<typeof matchOperation>;
    try {
      match = matchOperation(method, url.pathname);
    } catch {
      match = undefined;
    }
    if (match) stats.calls[match.operation.name] = (stats.calls[match.operation.name] ?? 0) + 1;
    const raw = await readBody(req);

    const latency = faults.latency();
    if (latency > 0) await sleep(latency);
    const decision = faults.decide();
    if (decision.kind === "rate-limited") {
      stats.rateLimited++;
      const headers: Record<string, string> =
        decision.retryAfterSeconds === undefined ? {} : { "retry-after": String(decision.retryAfterSeconds) };
      sendError(
        res,
        429,
        {
          category: "RATE_LIMIT_ERROR",
          code: "RATE_LIMITED",
          detail: "Too many requests: slow down and retry.",
        },
        headers,
      );
      return;
    }
    if (decision.kind === "error") {
      stats.faults++;
      sendError(
        res,
        decision.status,
        decision.status === 500
          ? { category: "API_ERROR", code: "INTERNAL_SERVER_ERROR", detail: "An internal error occurred." }
          : {
              category: "API_ERROR",
              code: "SERVICE_UNAVAILABLE",
              detail: "The service is temporarily unavailable.",
            },
      );
      return;
    }
    if (decision.kind === "reset") {
      stats.resets++;
      if (decision.afterApplying && match) {
        // The request takes effect, but the client never hears so (tests idempotent retries).
        try {
          if (serveOperation(deps.serve, req, url, match, raw).result.changed) deps.onChange();
        } catch {
          // The error would not have been delivered either.
        }
      }
      req.socket.resetAndDestroy();
      return;
    }

    if (!match) {
      sendError(res, 404, {
        category: "INVALID_REQUEST_ERROR",
        code: "NOT_FOUND",
        detail: `API endpoint for URL path \`${url.pathname}\` and HTTP method \`${method}\` is not found.`,
      });
      return;
    }
    try {
      const { result, version } = serveOperation(deps.serve, req, url, match, raw);
      if (result.changed) deps.onChange();
      send(res, result.status ?? 200, result.body, { "square-version": version });
    } catch (error) {
      if (error instanceof ApiError) {
        send(res, error.status, { errors: error.errors }, error.headers);
        return;
      }
      throw error;
    }
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
