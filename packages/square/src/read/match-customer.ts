import { createLivePhoneKey, emailDomain, liveEmailKey, type Rule } from "@groupsync/core";
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

/**
 * The rules of a scan, by kind and value: whether a profile of the account matches one of them,
 * with core's normalization of stored emails and phones (what `diff` will match them by).
 */
export class RuleSet {
  readonly #values = {
    email: new Set<string>(),
    phone: new Set<string>(),
    email_domain: new Set<string>(),
    customer_id: new Set<string>(),
  };
  readonly #phoneKey: (raw: string) => string | undefined;

  constructor(rules: readonly Rule[], country: string) {
    for (const rule of rules) this.#values[rule.kind].add(rule.value);
    this.#phoneKey = createLivePhoneKey(country);
  }

  matches(customer: SquareCustomer): boolean {
    const { email, phone, email_domain: domains, customer_id: ids } = this.#values;
    if (ids.has(customer.id)) return true;
    const address = emailOf(customer);
    if (address !== undefined && (email.has(address) || domains.has(emailDomain(address) ?? ""))) return true;
    if (phone.size === 0 || typeof customer.phone_number !== "string") return false;
    const number = this.#phoneKey(customer.phone_number);
    return number !== undefined && phone.has(number);
  }
}

function emailOf(customer: SquareCustomer): string | undefined {
  return typeof customer.email_address === "string" ? liveEmailKey(customer.email_address) : undefined;
}
