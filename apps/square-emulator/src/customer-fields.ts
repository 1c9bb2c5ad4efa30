import { badRequest } from "./api-error.js";
import { isValidEmail, isValidPhone } from "./normalize.js";
import { checkMaxLength, optionalObject, optionalString, type JsonObject } from "./validate.js";

// Documented maximum lengths of CreateCustomer/UpdateCustomer fields.
const STRING_FIELDS: Record<string, number> = {
  given_name: 300,
  family_name: 300,
  company_name: 500,
  nickname: 100,
  email_address: 254,
  phone_number: 32,
  reference_id: 100,
  note: 4096,
  birthday: 10,
};

const PUBLIC_FIELDS = ["given_name", "family_name", "company_name", "email_address", "phone_number"];

/**
 * Validates the profile fields of a create (`nullClears` false: null is absent) or sparse
 * update (`nullClears` true: null is kept to clear the field). Unknown fields are ignored,
 * as Square does outside the group endpoints.
 */
export function readCustomerFields(
  body: JsonObject,
  nullClears: boolean,
  prefix = "",
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, max] of Object.entries(STRING_FIELDS)) {
    const raw = body[field];
    const name = `${prefix}${field}`;
    if (raw === null) {
      if (nullClears) out[field] = null;
      continue;
    }
    const value = optionalString(raw, name);
    if (value === undefined) continue;
    checkMaxLength(value, max, name);
    if (field === "email_address" && value !== "" && !isValidEmail(value)) {
      throw badRequest("INVALID_EMAIL_ADDRESS", `\`${name}\` is not a valid email address.`, name);
    }
    if (field === "phone_number" && value !== "" && !isValidPhone(value)) {
      throw badRequest("INVALID_PHONE_NUMBER", `\`${name}\` is not a valid phone number.`, name);
    }
    if (field === "birthday" && !/^(\d{4}-)?\d{2}-\d{2}$/.test(value)) {
      throw badRequest("INVALID_VALUE", `\`${name}\` must be YYYY-MM-DD or MM-DD.`, name);
    }
    // An empty string clears the field on update and is absent on create.
    if (value === "") {
      if (nullClears) out[field] = null;
      continue;
    }
    out[field] = value;
  }
  for (const field of ["address", "tax_ids"]) {
    const raw = body[field];
    if (raw === null) {
      if (nullClears) out[field] = null;
      continue;
    }
    const value = optionalObject(raw, `${prefix}${field}`);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** CreateCustomer needs one of given_name, family_name, company_name, email_address, phone_number. */
export function requirePublicField(fields: Record<string, unknown>): void {
  if (!PUBLIC_FIELDS.some((f) => typeof fields[f] === "string")) {
    throw badRequest(
      "MISSING_REQUIRED_PARAMETER",
      "At least one of `given_name`, `family_name`, `company_name`, `email_address` or `phone_number` is required.",
    );
  }
}
