import { request } from "undici";
import type { Emulator } from "../src/index.js";

/** A response as the tests look at it. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** Sends one request to the emulator over real HTTP (undici), with the full token by default. */
export async function call(
  emulator: Emulator,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  options: { token?: string | null; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const token = options.token === undefined ? emulator.token : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers["authorization"] = `Bearer ${token}`;
  let payload: string | undefined = options.rawBody;
  if (body !== undefined) {
    payload = JSON.stringify(body);
  }
  if (payload !== undefined) headers["content-type"] = "application/json";
  const response = await request(`${emulator.url}${path}`, { method, headers, body: payload ?? null });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

/** The first error of an error reply. */
export function firstError(reply: Reply): {
  category: string;
  code: string;
  detail?: string;
  field?: string;
} {
  const errors = reply.body["errors"] as Array<{
    category: string;
    code: string;
    detail?: string;
    field?: string;
  }>;
  if (!errors?.[0])
    throw new Error(`expected an error reply, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return errors[0];
}

/** Customers of a search/list reply (empty when the reply is `{}`). */
export function customersOf(reply: Reply): Array<Record<string, unknown> & { id: string }> {
  return (reply.body["customers"] as Array<Record<string, unknown> & { id: string }> | undefined) ?? [];
}

/** Follows cursors of a SearchCustomers body until the end; returns every customer ID in order. */
export async function searchAll(emulator: Emulator, body: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const reply = await call(emulator, "POST", "/v2/customers/search", cursor ? { ...body, cursor } : body);
    if (reply.status !== 200) throw new Error(`search failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    ids.push(...customersOf(reply).map((c) => c.id));
    cursor = reply.body["cursor"] as string | undefined;
    if (!cursor) return ids;
  }
  throw new Error("too many pages");
}
