import { maskEmail, maskName, maskPhone } from "@groupsync/core";
import type { SquareCustomer } from "@groupsync/square";
import { UsageError } from "../errors.js";

/** The profile fields `--fields` can name, in the order `--help` lists them. */
export const MEMBER_FIELDS = [
  "id",
  "given_name",
  "family_name",
  "company_name",
  "nickname",
  "email_address",
  "phone_number",
  "reference_id",
  "created_at",
  "updated_at",
  "creation_source",
  "group_ids",
  "version",
] as const;

export type MemberField = (typeof MEMBER_FIELDS)[number];

/** What `groupsync members` prints without `--fields` (issue 7). */
export const DEFAULT_FIELDS: readonly MemberField[] = [
  "id",
  "given_name",
  "family_name",
  "email_address",
  "phone_number",
  "created_at",
  "group_ids",
];

const KNOWN: ReadonlySet<string> = new Set(MEMBER_FIELDS);

/** Parses `--fields a,b,c` (spaces allowed, duplicates dropped, unknown names refused). */
export function parseFields(raw: string | undefined): readonly MemberField[] {
  if (raw === undefined) return DEFAULT_FIELDS;
  const names = raw
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  if (names.length === 0) throw new UsageError("--fields needs at least one field name.", "members");
  const unknown = names.filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown field${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => `"${n}"`).join(", ")} in --fields. ` +
        `Fields: ${MEMBER_FIELDS.join(", ")}.`,
      "members",
    );
  }
  return [...new Set(names)] as MemberField[];
}

/** A field's value as JSON writes it: strings, numbers, the group ID array, or null when absent. */
export type FieldValue = string | number | readonly string[] | null;

/** Fields that name a person: masked by `--redact` as emails and phones are (a company name is not). */
const NAME_FIELDS: ReadonlySet<MemberField> = new Set(["given_name", "family_name", "nickname"]);

/** A profile reduced to the chosen fields, emails, phones and names masked when `redact`. */
export function selectFields(
  customer: SquareCustomer,
  fields: readonly MemberField[],
  redact: boolean,
): FieldValue[] {
  return fields.map((field) => fieldValue(customer, field, redact));
}

function fieldValue(customer: SquareCustomer, field: MemberField, redact: boolean): FieldValue {
  const raw = (customer as unknown as Record<string, unknown>)[field];
  if (field === "group_ids") return Array.isArray(raw) ? (raw as string[]) : [];
  if (typeof raw === "number") return raw;
  if (typeof raw !== "string") return null;
  if (redact && field === "email_address") return maskEmail(raw);
  if (redact && field === "phone_number") return maskPhone(raw);
  if (redact && NAME_FIELDS.has(field)) return maskName(raw);
  return raw;
}

/** A value as one text cell (CSV, table): absent is empty, group IDs are joined with `;`. */
export function fieldText(value: FieldValue): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  return value.join(";");
}
