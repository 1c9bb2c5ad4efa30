import { createLivePhoneKey, emailDomain, groupNameKey, liveEmailKey } from "./normalize.js";
import type { DesiredState, LiveGroup, LiveProfile, LiveState } from "./types.js";

/**
 * Indexes over the live state, built once per diff so that matching stays linear in
 * profiles + rules. Only values some rule asks for are indexed (a million profiles, most of
 * which no rule names, cost one key computation each and no map entry).
 */
export interface LiveIndex {
  readonly groupsById: ReadonlyMap<string, LiveGroup>;
  readonly groupsByNameKey: ReadonlyMap<string, readonly LiveGroup[]>;
  /** Profiles by the normalized email / E.164 phone / domain / ID, each bucket oldest first. */
  readonly byEmail: ReadonlyMap<string, readonly LiveProfile[]>;
  readonly byPhone: ReadonlyMap<string, readonly LiveProfile[]>;
  readonly byDomain: ReadonlyMap<string, readonly LiveProfile[]>;
  readonly byId: ReadonlyMap<string, readonly LiveProfile[]>;
}

export function indexGroups(live: LiveState): Pick<LiveIndex, "groupsById" | "groupsByNameKey"> {
  const groupsById = new Map<string, LiveGroup>();
  const groupsByNameKey = new Map<string, LiveGroup[]>();
  for (const group of live.groups) {
    groupsById.set(group.id, group);
    push(groupsByNameKey, groupNameKey(group.name), group);
  }
  for (const bucket of groupsByNameKey.values()) bucket.sort((a, b) => compareStrings(a.id, b.id));
  return { groupsById, groupsByNameKey };
}

export function indexLive(desired: DesiredState, live: LiveState): LiveIndex {
  const wanted = { email: new Set<string>(), phone: new Set<string>(), domain: new Set<string>() };
  const ids = new Set<string>();
  for (const group of desired.groups) {
    for (const rule of group.rules) {
      if (rule.kind === "email") wanted.email.add(rule.value);
      else if (rule.kind === "phone") wanted.phone.add(rule.value);
      else if (rule.kind === "email_domain") wanted.domain.add(rule.value);
      else ids.add(rule.value);
    }
  }
  const byEmail = new Map<string, LiveProfile[]>();
  const byPhone = new Map<string, LiveProfile[]>();
  const byDomain = new Map<string, LiveProfile[]>();
  const byId = new Map<string, LiveProfile[]>();
  const needEmail = wanted.email.size > 0 || wanted.domain.size > 0;
  const phoneKey = wanted.phone.size > 0 ? createLivePhoneKey(desired.country) : undefined;
  for (const profile of live.profiles) {
    if (ids.has(profile.id)) push(byId, profile.id, profile);
    if (needEmail && profile.emailAddress !== undefined) {
      const email = liveEmailKey(profile.emailAddress);
      if (email !== undefined) {
        if (wanted.email.has(email)) push(byEmail, email, profile);
        const domain = wanted.domain.size > 0 ? emailDomain(email) : undefined;
        if (domain !== undefined && wanted.domain.has(domain)) push(byDomain, domain, profile);
      }
    }
    if (phoneKey !== undefined && profile.phoneNumber !== undefined) {
      const phone = phoneKey(profile.phoneNumber);
      if (phone !== undefined && wanted.phone.has(phone)) push(byPhone, phone, profile);
    }
  }
  for (const map of [byEmail, byPhone, byDomain, byId]) {
    for (const bucket of map.values()) if (bucket.length > 1) sortOldestFirst(bucket);
  }
  return { ...indexGroups(live), byEmail, byPhone, byDomain, byId };
}

/** Oldest-created first, ties (and unparseable dates) by ID: the `match: one` pick (DESIGN.md §3). */
export function sortOldestFirst(profiles: LiveProfile[]): void {
  const time = new Map<LiveProfile, number>();
  for (const p of profiles) {
    const t = Date.parse(p.createdAt);
    time.set(p, Number.isNaN(t) ? Number.POSITIVE_INFINITY : t);
  }
  profiles.sort((a, b) => {
    const ta = time.get(a) ?? 0;
    const tb = time.get(b) ?? 0;
    if (ta !== tb) return ta < tb ? -1 : 1;
    return compareStrings(a.createdAt, b.createdAt) || compareStrings(a.id, b.id);
  });
}

/** Code-unit order: locale-independent, so output is byte-identical everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, [value]);
  else bucket.push(value);
}
