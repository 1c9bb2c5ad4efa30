import { normalizePhone, type Rule } from "@groupsync/core";
import type { SquareCustomer, SquareCustomerFilter } from "../square-types.js";

/** The SearchCustomers filter that finds the profiles a rule may match. */
export function lookupFilter(rule: Rule): SquareCustomerFilter {
  switch (rule.kind) {
    case "email":
      return { email_address: { exact: rule.value } };
    case "phone":
      return { phone_number: { exact: rule.value } };
    default:
      // Fuzzy is token-wise ("example org" tokens); the results are filtered on the domain.
      return { email_address: { fuzzy: rule.value } };
  }
}

/** Whether a profile `lookupFilter(rule)` found is one the rule names. */
export function matchesLookup(customer: SquareCustomer, rule: Rule): boolean {
  switch (rule.kind) {
    case "email":
    case "phone":
      // Square compared these exactly (case-insensitive, E.164); core matches them again.
      return true;
    case "email_domain":
      return emailOf(customer)?.endsWith(`@${rule.value}`) ?? false;
    case "customer_id":
      return customer.id === rule.value;
  }
}

/** The rules of a scan, by kind and value: whether a profile of the account matches one of them. */
export class RuleSet {
  readonly #values = {
    email: new Set<string>(),
    phone: new Set<string>(),
    email_domain: new Set<string>(),
    customer_id: new Set<string>(),
  };

  constructor(rules: readonly Rule[]) {
    for (const rule of rules) this.#values[rule.kind].add(rule.value);
  }

  matches(customer: SquareCustomer, country: string): boolean {
    const { email, phone, email_domain: domains, customer_id: ids } = this.#values;
    if (ids.has(customer.id)) return true;
    const address = emailOf(customer);
    if (
      address !== undefined &&
      (email.has(address) || domains.has(address.slice(address.lastIndexOf("@") + 1)))
    )
      return true;
    if (phone.size === 0) return false;
    const number =
      typeof customer.phone_number === "string" ? normalizePhone(customer.phone_number, country) : undefined;
    return number !== undefined && phone.has(number);
  }
}

/** Lenient (no validation): a stored address core would match must not be filtered out here. */
function emailOf(customer: SquareCustomer): string | undefined {
  return typeof customer.email_address === "string"
    ? customer.email_address.normalize("NFC").trim().toLowerCase()
    : undefined;
}
