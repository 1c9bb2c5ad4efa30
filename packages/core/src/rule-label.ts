import type { Rule } from "./types.js";

/**
 * How a rule is shown and addressed: `ada@example.com`, `+14155550100`, `@example.org`,
 * `id:JDKYHBWT1D4F8MFH63DBMEN8Y4`.
 */
export function ruleLabel(rule: Rule): string {
  switch (rule.kind) {
    case "email":
    case "phone":
      return rule.value;
    case "email_domain":
      return `@${rule.value}`;
    case "customer_id":
      return `id:${rule.value}`;
  }
}
