import type { DesiredGroup, DesiredState, LiveGroup, LiveProfile, LiveState, Rule } from "../../src/types.js";

/** Test data builders: every default of groups.yaml applied, overridable per field. */
export function group(key: string, fields: Partial<DesiredGroup> = {}): DesiredGroup {
  return {
    key,
    name: fields.name ?? key,
    previously: [],
    membership: "authoritative",
    match: "one",
    missing: "skip",
    rules: [],
    ...fields,
  };
}

export function desired(groups: DesiredGroup[], fields: Partial<DesiredState> = {}): DesiredState {
  return { country: "US", unmanagedGroups: "ignore", groups, ...fields };
}

export function liveGroup(id: string, name: string): LiveGroup {
  return { id, name };
}

export function profile(id: string, fields: Partial<LiveProfile> = {}): LiveProfile {
  return { id, createdAt: "2024-01-01T00:00:00Z", groupIds: [], ...fields };
}

export function live(groups: readonly LiveGroup[], profiles: readonly LiveProfile[] = []): LiveState {
  return { groups, profiles };
}

export const email = (value: string): Rule => ({ kind: "email", value });
export const phone = (value: string): Rule => ({ kind: "phone", value });
export const domain = (value: string): Rule => ({ kind: "email_domain", value });
export const customerId = (value: string): Rule => ({ kind: "customer_id", value });
