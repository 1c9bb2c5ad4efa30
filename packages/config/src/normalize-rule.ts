import type { RuleKind } from "@groupsync/core";
import { quote } from "./display-path.js";
import { normalizeEmail, normalizeEmailDomain, normalizePhone } from "./normalize.js";
import type { ConfigProblemCode } from "./problems.js";

/** A rule's normalized value, or the problem with it. */
export type Normalized =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: ConfigProblemCode; readonly message: string };

/** Normalizes one rule's value as matching compares it (DESIGN.md §2), for inline and CSV rules alike. */
export function normalizeRule(kind: RuleKind, raw: string, country: string): Normalized {
  switch (kind) {
    case "email": {
      const value = normalizeEmail(raw);
      return value
        ? { ok: true, value }
        : {
            ok: false,
            code: "GS_CONFIG_INVALID_EMAIL",
            message: `${quote(raw)} is not a valid email address`,
          };
    }
    case "phone": {
      const value = normalizePhone(raw, country);
      if (value) return { ok: true, value };
      const hint = raw.trim().startsWith("+")
        ? ""
        : ` (read as a ${country} number; write other countries with their +country code)`;
      return {
        ok: false,
        code: "GS_CONFIG_INVALID_PHONE",
        message: `${quote(raw)} is not a valid phone number${hint}`,
      };
    }
    case "email_domain": {
      const value = normalizeEmailDomain(raw);
      if (value) return { ok: true, value };
      if (/^\s*@/.test(raw) && normalizeEmailDomain(raw.trim().slice(1))) {
        return {
          ok: false,
          code: "GS_CONFIG_INVALID_EMAIL_DOMAIN",
          message: `write the domain without '@': email_domain: ${raw.trim().slice(1).toLowerCase()}`,
        };
      }
      const hint = /.@/.test(raw) ? " (for one address, use 'email:')" : "";
      return {
        ok: false,
        code: "GS_CONFIG_INVALID_EMAIL_DOMAIN",
        message: `${quote(raw)} is not a domain name such as example.org${hint}`,
      };
    }
    case "customer_id":
      return { ok: true, value: raw.trim() };
  }
}
