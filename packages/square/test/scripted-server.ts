import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a scripted answer does: reply with a status/body/headers, or reset the connection. */
export type Script =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly reset: true };

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/**
 * A tiny HTTP server on 127.0.0.1:0 that answers from a queue of scripted responses (then 200
 * `{}`): for the client's behaviour on answers the emulator cannot be asked for.
 */
export async function startScriptedServer(): Promise<{
  url: string;
  seen: SeenRequest[];
  script(...answers: Script[]): void;
  close(): Promise<void>;
}> {
  const queue: Script[] = [];
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = queue.shift() ?? { status: 200, body: {} };
      if ("reset" in answer) {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    script: (...answers) => queue.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
