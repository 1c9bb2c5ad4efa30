import { createLivePhoneKey, emailDomain, groupNameKey, liveEmailKey } from "./normalize.js";
import {
  addToStringFilter,
  emptyStringFilter,
  mayContain,
  mayContainLowerAscii,
  type StringFilter,
} from "./string-filter.js";
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
  /** `ruleBuckets[g][r]`: the profiles rule `r` of `desired.groups[g]` matches, oldest first. */
  readonly ruleBuckets: ReadonlyArray<ReadonlyArray<readonly LiveProfile[]>>;
  /** The live members of each managed group, in live order. */
  readonly membersByGroup: ReadonlyMap<string, readonly LiveProfile[]>;
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

/**
 * Indexes the profiles in one pass (a million profiles cost one visit each): by the values rules
 * ask for, and the members of each managed live group (`managedGroupIds`).
 */
export function indexLive(
  desired: DesiredState,
  live: LiveState,
  groupIndex: Pick<LiveIndex, "groupsById" | "groupsByNameKey">,
  managedGroupIds: Iterable<string>,
): LiveIndex {
  const rules = indexRules(desired);
  const { byEmail, byPhone, byDomain, byId, phoneKey } = rules;
  const { idFilter, emailFilter, domainFilter, phoneFilter } = rules;
  const membersByGroup = new Map<string, LiveProfile[]>();
  for (const id of managedGroupIds) membersByGroup.set(id, []);
  const needIds = byId.size > 0;
  const needEmail = byEmail.size > 0;
  const needDomain = byDomain.size > 0;

  for (const profile of live.profiles) {
    const groupIds = profile.groupIds;
    for (let i = 0; i < groupIds.length; i++) membersByGroup.get(groupIds[i] as string)?.push(profile);
    if (needIds && mayContain(idFilter, profile.id)) byId.get(profile.id)?.push(profile);
    const rawEmail = profile.emailAddress;
    if (needEmail && !needDomain && rawEmail !== undefined) {
      // The common case (no domain rules), fused: most emails are plain ASCII and match no rule.
      const maybe = mayContainLowerAscii(emailFilter, rawEmail);
      if (maybe === true) byEmail.get(rawEmail.toLowerCase())?.push(profile);
      else if (maybe === undefined) {
        const email = liveEmailKey(rawEmail);
        if (email !== undefined && mayContain(emailFilter, email)) byEmail.get(email)?.push(profile);
      }
    } else if ((needEmail || needDomain) && rawEmail !== undefined) {
      const email = liveEmailKey(rawEmail);
      if (email !== undefined) {
        if (needEmail && mayContain(emailFilter, email)) byEmail.get(email)?.push(profile);
        const domain = needDomain ? emailDomain(email) : undefined;
        if (domain !== undefined && mayContain(domainFilter, domain)) byDomain.get(domain)?.push(profile);
      }
    }
    if (phoneKey !== undefined && profile.phoneNumber !== undefined) {
      const phone = phoneKey(profile.phoneNumber);
      if (phone !== undefined && mayContain(phoneFilter, phone)) byPhone.get(phone)?.push(profile);
    }
  }

  for (const map of [byEmail, byPhone, byDomain, byId]) {
    for (const bucket of map.values()) if (bucket.length > 1) sortOldestFirst(dropRepeatedIds(bucket));
  }
  return { ...groupIndex, byEmail, byPhone, byDomain, byId, membersByGroup, ruleBuckets: rules.ruleBuckets };
}

/**
 * The rules' side of the live index: a bucket per value some rule asks for (empty until profiles
 * are indexed), each rule's bucket, and filters over those values.
 */
interface RuleIndex {
  readonly byEmail: Map<string, LiveProfile[]>;
  readonly byPhone: Map<string, LiveProfile[]>;
  readonly byDomain: Map<string, LiveProfile[]>;
  readonly byId: Map<string, LiveProfile[]>;
  /** `ruleBuckets[g][r]`: the bucket of rule `r` of `desired.groups[g]`. */
  readonly ruleBuckets: ReadonlyArray<ReadonlyArray<LiveProfile[]>>;
  readonly idFilter: StringFilter;
  readonly emailFilter: StringFilter;
  readonly domainFilter: StringFilter;
  readonly phoneFilter: StringFilter;
  /** The E.164 key of a live phone number, or `undefined` when no rule names a phone. */
  readonly phoneKey: ((raw: string) => string | undefined) | undefined;
}

function indexRules(desired: DesiredState): RuleIndex {
  // A bucket per value some rule asks for, created up front: one map operation per profile and
  // value. A bucket that stays empty means "no profile".
  const byEmail = new Map<string, LiveProfile[]>();
  const byPhone = new Map<string, LiveProfile[]>();
  const byDomain = new Map<string, LiveProfile[]>();
  const byId = new Map<string, LiveProfile[]>();
  const kinds = { email: byEmail, phone: byPhone, email_domain: byDomain, customer_id: byId };
  // Each rule keeps a direct reference to its bucket: the rule loop then reads an array instead
  // of probing a map per rule.
  const ruleBuckets = desired.groups.map((group) =>
    group.rules.map((rule) => {
      const map = kinds[rule.kind];
      let bucket = map.get(rule.value);
      if (bucket === undefined) map.set(rule.value, (bucket = emptyBucket()));
      return bucket;
    }),
  );
  const filterOf = (map: Map<string, LiveProfile[]>): StringFilter => {
    const filter = emptyStringFilter(map.size);
    for (const value of map.keys()) addToStringFilter(filter, value);
    return filter;
  };
  const phoneKey =
    byPhone.size > 0 ? createLivePhoneKey(desired.country, new Set(byPhone.keys())) : undefined;
  return {
    byEmail,
    byPhone,
    byDomain,
    byId,
    ruleBuckets,
    idFilter: filterOf(byId),
    emailFilter: filterOf(byEmail),
    domainFilter: filterOf(byDomain),
    phoneFilter: filterOf(byPhone),
    phoneKey,
  };
}

/**
 * An empty bucket with room for one profile: most rules match one profile, and V8 gives `[]`
 * room for 16 at its first push (on hundreds of thousands of rules, heap that counts).
 */
function emptyBucket(): LiveProfile[] {
  const bucket: Array<LiveProfile | null> = [null];
  bucket.pop(); // keeps the room
  return bucket as LiveProfile[];
}

/**
 * A profile given twice counts once (the first entry kept), so that it never makes two actions
 * or a false ambiguity.
 */
function dropRepeatedIds(bucket: LiveProfile[]): LiveProfile[] {
  const seen = new Set<string>();
  let kept = 0;
  for (const p of bucket) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    bucket[kept++] = p;
  }
  bucket.length = kept;
  return bucket;
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
