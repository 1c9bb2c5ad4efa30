import { createHash } from "node:crypto";
import type { SquareClient } from "./client.js";

/**
 * The account idempotency keys are scoped to: the client's base URL (production, sandbox, or an
 * emulator's address). Square says nothing cheaper about which seller a token belongs to (the
 * Customers API returns no merchant ID), and a hash of the token would give an admin's laptop and
 * CI, which hold different tokens for one account, different keys: the race these keys exist to
 * win (DESIGN.md §6). Never the token, nor anything made from it: keys travel in request bodies.
 */
export function idempotencyAccount(client: Pick<SquareClient, "baseUrl">): string {
  return client.baseUrl;
}

/**
 * The idempotency key of a create_group, from what it creates (DESIGN.md §6): the account, the
 * group's key and its name. Two applies of different plans (two CI jobs, a laptop and CI) that
 * create the same group send the same key, and Square makes the group once. With `after`, the
 * key that follows one whose group was deleted since: derived from that group's ID, so that two
 * applies re-creating the group still share it.
 */
export function createGroupKey(account: string, group: string, name: string, after?: string): string {
  const deleted = after === undefined ? "" : `\n${after}`;
  return `gs-g-${sha256(`group\n${account}\n${group}\n${name}${deleted}`).slice(0, 48)}`;
}

/**
 * The idempotency key of a profile a `missing: create` rule makes: the account and the person
 * (normalized email or E.164 phone), whichever group or plan asks for it. A retry after a crash,
 * a later plan that does not see the profile yet (search lags), or another process's apply gets
 * the profile the first call made.
 */
export function createCustomerKey(
  account: string,
  customer: { readonly email_address?: string; readonly phone_number?: string },
): string {
  const who = `${customer.email_address ?? ""}\n${customer.phone_number ?? ""}`;
  return `gs-c-${sha256(`customer\n${account}\n${who}`).slice(0, 48)}`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
