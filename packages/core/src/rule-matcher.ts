import { createLivePhoneKey, emailDomain, liveEmailKey } from "./normalize.js";
import type { LiveProfile, Rule } from "./types.js";

/** What a rule matcher reads of a profile. */
export type ProfileContact = Pick<LiveProfile, "id" | "emailAddress" | "phoneNumber">;

/**
 * Returns whether a profile matches a rule, compared exactly as `diff` matches them (DESIGN.md
 * §2): emails trimmed and case-insensitive, phones as E.164 (a stored number without `+` read in
 * `country`), a domain against the email's domain, an ID as it is. A saved plan re-checks with
 * it that each profile it adds still matches the rule that selected it.
 */
export function createRuleMatcher(country: string): (profile: ProfileContact, rule: Rule) => boolean {
  const phoneKey = createLivePhoneKey(country);
  return (profile, rule) => {
    const email = profile.emailAddress === undefined ? undefined : liveEmailKey(profile.emailAddress);
    switch (rule.kind) {
      case "email":
        return email === rule.value;
      case "email_domain":
        return email !== undefined && emailDomain(email) === rule.value;
      case "phone":
        return profile.phoneNumber !== undefined && phoneKey(profile.phoneNumber) === rule.value;
      case "customer_id":
        return profile.id === rule.value;
    }
  };
}
