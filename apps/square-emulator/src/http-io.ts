import type { IncomingMessage, ServerResponse } from "node:http";
import type { SquareErrorBody } from "./api-error.js";
import { JsonBody } from "./json-body.js";

/** Largest request body accepted (bytes). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Writes a JSON answer (a prebuilt {@link JsonBody} is sent as its bytes). */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body instanceof JsonBody ? body.bytes : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": typeof text === "string" ? Buffer.byteLength(text) : text.length,
    ...headers,
  });
  res.end(text);
}

/** Writes Square's error shape, `{"errors":[...]}`, with one error. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: SquareErrorBody,
  headers?: Record<string, string>,
): void {
  send(res, status, { errors: [error] }, headers);
}

/** The whole request body, or undefined when it is larger than {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
