import type { SquareClient } from "./client.js";
import { SquareApiError, SquareResponseError } from "./errors.js";
import { LIST_PAGE_PRIORITY, paginate, type Page, type PageOptions } from "./paginate.js";
import type { SquareCustomerGroup } from "./square-types.js";

/** Every customer group of the account (ListCustomerGroups, pages of up to 50, until no cursor). */
export async function* listGroups(
  client: SquareClient,
  options: PageOptions = {},
): AsyncGenerator<SquareCustomerGroup> {
  for await (const { items } of listGroupPages(client, options.limit)) {
    options.onPage?.(items.length);
    yield* items;
  }
}

/** {@link listGroups} a page at a time. */
export function listGroupPages(
  client: SquareClient,
  limit = 50,
): AsyncGenerator<Page<SquareCustomerGroup>, void, undefined> {
  return paginate(
    client,
    {
      operation: "ListCustomerGroups",
      method: "GET",
      path: "/v2/customers/groups",
      query: { limit },
      priority: LIST_PAGE_PRIORITY,
    },
    (answer: { groups?: SquareCustomerGroup[]; cursor?: string }) => answer.groups,
  );
}

/** One group by ID (RetrieveCustomerGroup); `undefined` when Square answers 404. */
export async function retrieveGroup(
  client: SquareClient,
  groupId: string,
): Promise<SquareCustomerGroup | undefined> {
  try {
    const response = await client.send<{ group?: SquareCustomerGroup }>({
      operation: "RetrieveCustomerGroup",
      method: "GET",
      path: `/v2/customers/groups/${encodeURIComponent(groupId)}`,
    });
    return response.group;
  } catch (error) {
    if (error instanceof SquareApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** CreateCustomerGroup with an idempotency key: the same key returns the same group. */
export async function createGroup(
  client: SquareClient,
  name: string,
  idempotencyKey: string,
): Promise<SquareCustomerGroup> {
  const response = await client.send<{ group?: SquareCustomerGroup }>({
    operation: "CreateCustomerGroup",
    method: "POST",
    path: "/v2/customers/groups",
    body: { idempotency_key: idempotencyKey, group: { name } },
  });
  if (response.group === undefined)
    throw new SquareResponseError("CreateCustomerGroup", 200, undefined, "no group in its body");
  return response.group;
}

/** UpdateCustomerGroup: renames a group. */
export async function renameGroup(
  client: SquareClient,
  groupId: string,
  name: string,
): Promise<SquareCustomerGroup | undefined> {
  const response = await client.send<{ group?: SquareCustomerGroup }>({
    operation: "UpdateCustomerGroup",
    method: "PUT",
    path: `/v2/customers/groups/${encodeURIComponent(groupId)}`,
    body: { group: { name } },
  });
  return response.group;
}

/** DeleteCustomerGroup. */
export async function deleteGroup(client: SquareClient, groupId: string): Promise<void> {
  await client.send({
    operation: "DeleteCustomerGroup",
    method: "DELETE",
    path: `/v2/customers/groups/${encodeURIComponent(groupId)}`,
  });
}
