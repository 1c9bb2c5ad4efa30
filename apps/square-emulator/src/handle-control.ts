import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error.js";
import { parseFaultOptions } from "./fault-config.js";
import { readBody, send, sendError } from "./http-io.js";
import type { EmulatorStats, FaultOptions } from "./types.js";
import { parseJsonObject, type JsonObject } from "./validate.js";

export interface ControlHandlerDeps {
  readonly stats: () => EmulatorStats;
  readonly resetStats: () => EmulatorStats;
  /** Applies a change of fault injection and returns the options now in force. */
  readonly configure: (partial: Partial<FaultOptions>) => FaultOptions;
}

/**
 * The emulator's own endpoints, under `/_emulator/`: `GET stats`, `POST reset` (the stats)
 * and `POST configure` (fault injection and search lag, as `serve`'s flags set them).
 */
export function createControlHandler(deps: ControlHandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const raw = await readBody(req);
    if (url.pathname === "/_emulator/stats" && req.method === "GET") {
      send(res, 200, deps.stats());
    } else if (url.pathname === "/_emulator/reset" && req.method === "POST") {
      send(res, 200, deps.resetStats());
    } else if (url.pathname === "/_emulator/configure" && req.method === "POST") {
      try {
        send(res, 200, deps.configure(parseFaultOptions(parseControlBody(raw))));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        send(res, error.status, { errors: error.errors });
      }
    } else {
      sendError(res, 404, {
        category: "INVALID_REQUEST_ERROR",
        code: "NOT_FOUND",
        detail: `No emulator control endpoint \`${req.method ?? ""} ${url.pathname}\`.`,
      });
    }
  };
}

function parseControlBody(raw: Buffer | undefined): JsonObject {
  return parseJsonObject(raw?.toString("utf8") || "{}", {
    invalid: "Invalid JSON.",
    notObject: "Expected a JSON object.",
  });
}
