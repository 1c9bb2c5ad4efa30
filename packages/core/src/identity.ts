import type { Identity, LiveProfile, Rule } from "./types.js";

/** The identity a rule names (it is in the file). */
export function ruleIdentity(rule: Rule): Identity {
  return rule.kind === "phone" ? { phone: rule.value, inFile: true } : { email: rule.value, inFile: true };
}

/** Who is added: the rule's own value when it names the person, else what Square holds (personal data). */
export function profileIdentity(p: LiveProfile, rule: Rule): Identity {
  if (rule.kind === "email" || rule.kind === "phone") return { ...ruleIdentity(rule), ...nameOf(p) };
  return liveIdentity(p);
}

/** What Square holds about a profile: not in the file, masked when redacting. */
export function liveIdentity(p: LiveProfile): Identity {
  return {
    ...(p.emailAddress === undefined ? {} : { email: p.emailAddress.trim() }),
    ...(p.phoneNumber === undefined ? {} : { phone: p.phoneNumber.trim() }),
    ...nameOf(p),
    inFile: false,
  };
}

function nameOf(p: LiveProfile): { name?: string } {
  const name = [p.givenName, p.familyName].filter((s) => s !== undefined && s.trim() !== "").join(" ");
  return name === "" ? {} : { name };
}
