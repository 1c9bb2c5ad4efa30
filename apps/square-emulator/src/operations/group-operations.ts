import { badRequest } from "../api-error.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import type { GroupRecord } from "../store.js";
import {
  checkMaxLength,
  optionalObject,
  optionalString,
  queryLimit,
  rejectUnknownFields,
  type JsonObject,
} from "../validate.js";
import {
  groupNotFound,
  idempotencyKey,
  idempotent,
  type Operation,
  type OperationContext,
  type OperationResult,
} from "./operation.js";

/** Max group name length (undocumented by Square; the emulator chooses 255). */
export const MAX_GROUP_NAME_LENGTH = 255;

function readGroupName(body: JsonObject, allowed: readonly string[]): string {
  rejectUnknownFields(body, allowed, "");
  const group = optionalObject(body["group"], "group");
  if (!group) throw badRequest("MISSING_REQUIRED_PARAMETER", "Field `group` is required.", "group");
  rejectUnknownFields(group, ["id", "name", "created_at", "updated_at"], "group");
  const name = optionalString(group["name"], "group.name");
  if (name === undefined) {
    throw badRequest("MISSING_REQUIRED_PARAMETER", "Field `group.name` is required.", "group.name");
  }
  if (name.trim().length === 0) {
    throw badRequest("VALUE_TOO_SHORT", "`group.name` must not be empty.", "group.name");
  }
  checkMaxLength(name, MAX_GROUP_NAME_LENGTH, "group.name");
  return name;
}

function listGroups(ctx: OperationContext): OperationResult {
  const limit = queryLimit(ctx.query.get("limit"), 50, 50);
  const list = ctx.store.groupList;
  let start = 0;
  const cursor = ctx.query.get("cursor");
  if (cursor !== null && cursor !== "") {
    const position = decodeCursor(cursor, "groups");
    // Groups are in creation order (seq); resume after the last one served.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as GroupRecord).seq <= position.c) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = list.slice(start, start + limit);
  const body: { groups?: unknown[]; cursor?: string } = {};
  if (page.length > 0) body.groups = page.map((r) => r.group);
  const last = page[page.length - 1];
  if (last && start + limit < list.length)
    body.cursor = encodeCursor({ q: "groups", c: last.seq, i: last.group.id });
  return { body };
}

/** The Customer Groups API. */
export const GROUP_OPERATIONS: readonly Operation[] = [
  {
    name: "ListCustomerGroups",
    method: "GET",
    path: "/v2/customers/groups",
    write: false,
    handle: listGroups,
  },
  {
    name: "CreateCustomerGroup",
    method: "POST",
    path: "/v2/customers/groups",
    write: true,
    handle(ctx) {
      const name = readGroupName(ctx.body, ["idempotency_key", "group"]);
      const key = idempotencyKey(ctx.body);
      return idempotent(ctx, "CreateCustomerGroup", key, () => ({
        body: { group: ctx.store.createGroup(name) },
        changed: true,
      }));
    },
  },
  {
    name: "RetrieveCustomerGroup",
    method: "GET",
    path: "/v2/customers/groups/:group_id",
    write: false,
    handle(ctx) {
      const id = ctx.params["group_id"] as string;
      const record = ctx.store.groups.get(id);
      if (!record) throw groupNotFound(id);
      return { body: { group: record.group } };
    },
  },
  {
    name: "UpdateCustomerGroup",
    method: "PUT",
    path: "/v2/customers/groups/:group_id",
    write: true,
    handle(ctx) {
      const id = ctx.params["group_id"] as string;
      const name = readGroupName(ctx.body, ["group"]);
      const group = ctx.store.renameGroup(id, name);
      if (!group) throw groupNotFound(id);
      return { body: { group }, changed: true };
    },
  },
  {
    name: "DeleteCustomerGroup",
    method: "DELETE",
    path: "/v2/customers/groups/:group_id",
    write: true,
    handle(ctx) {
      const id = ctx.params["group_id"] as string;
      if (!ctx.store.deleteGroup(id)) throw groupNotFound(id);
      return { body: {}, changed: true };
    },
  },
];
