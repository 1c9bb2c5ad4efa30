// Deterministic workload for the diff benchmark (issue 2): N live profiles, G groups with R rules
// each, and a drift share of rules whose profile left the group plus as many unexpected members.
// No randomness: everything derives from the index, so every run diffs the same data.

/**
 * @param {{ profiles?: number; groups?: number; rulesPerGroup?: number; drift?: number }} [options]
 * @returns {{ desired: import("../src/types.js").DesiredState; live: import("../src/types.js").LiveState; rules: number }}
 */
export function generateWorkload(options = {}) {
  const profileCount = options.profiles ?? 1_000_000;
  const groupCount = options.groups ?? 2_000;
  const rulesPerGroup = options.rulesPerGroup ?? 150;
  const drift = options.drift ?? 0.01;
  const memberCount = groupCount * rulesPerGroup;
  if (memberCount * 1.2 > profileCount) throw new Error("not enough profiles for the members");
  const base = Date.UTC(2020, 0, 1);
  const groupId = (g) => `GRP${String(g).padStart(22, "0")}`;
  const customerId = (i) => `CUS${String(i).padStart(23, "0")}`;
  // One in every 1/drift rules has lost its member, one in every 1/drift groups' members is unexpected.
  const every = Math.round(1 / drift);

  const groupIdsOf = Array.from({ length: profileCount }, () => []);
  const groups = [];
  const liveGroups = [];
  let rules = 0;
  for (let g = 0; g < groupCount; g++) {
    const groupRules = [];
    for (let j = 0; j < rulesPerGroup; j++) {
      const i = g * rulesPerGroup + j;
      // 70% email, 20% phone, 10% customer ID.
      const kind = j % 10 < 7 ? "email" : j % 10 < 9 ? "phone" : "customer_id";
      const value = kind === "email" ? emailOf(i) : kind === "phone" ? phoneOf(i) : customerId(i);
      groupRules.push({ kind, value });
      if (i % every !== every - 1) groupIdsOf[i].push(groupId(g));
    }
    rules += groupRules.length;
    groups.push({
      key: `group-${g}`,
      name: `Group ${g}`,
      previously: [],
      membership: "authoritative",
      match: "one",
      missing: "skip",
      rules: groupRules,
    });
    liveGroups.push({ id: groupId(g), name: `Group ${g}` });
  }
  // Drift: unexpected members, taken from the profiles no rule names.
  const extra = Math.round(memberCount * drift);
  for (let k = 0; k < extra; k++) groupIdsOf[memberCount + k].push(groupId(k % groupCount));

  // Square's profiles arrive as parsed JSON pages, with flat strings; template literals build
  // rope strings instead, which hash much slower. So each page of 10,000 is built, then
  // round-tripped through JSON like the reader's pages (and its garbage dies young).
  const profiles = new Array(profileCount);
  for (let from = 0; from < profileCount; from += 1_000) {
    const page = [];
    for (let i = from; i < Math.min(from + 1_000, profileCount); i++) {
      const p = {
        id: customerId(i),
        createdAt: new Date(base + i * 1000).toISOString(),
        groupIds: groupIdsOf[i],
        givenName: `Given${i}`,
        familyName: `Family${i}`,
        version: 1,
      };
      // Emails as people type them (one in 7 with capitals), phones in E.164 or national format.
      p.emailAddress = i % 7 === 0 ? emailOf(i).toUpperCase() : emailOf(i);
      if (i % 3 === 0 || (i < memberCount && (i % rulesPerGroup) % 10 >= 7)) {
        const e164 = phoneOf(i);
        p.phoneNumber = i % 5 === 0 ? `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}` : e164;
      }
      page.push(p);
    }
    const parsed = JSON.parse(JSON.stringify(page));
    for (let k = 0; k < parsed.length; k++) profiles[from + k] = parsed[k];
    groupIdsOf.fill(undefined, from, from + 1_000);
    // With --expose-gc (diff-rss.mjs), collect the pages' garbage as we go so that the peak RSS
    // reflects the data, not the generator.
    if (from % 100_000 === 0) globalThis.gc?.();
  }
  const flatGroups = JSON.parse(JSON.stringify(groups));
  return {
    desired: { country: "US", unmanagedGroups: "ignore", groups: flatGroups },
    live: { groups: JSON.parse(JSON.stringify(liveGroups)), profiles },
    rules,
  };
}

function emailOf(i) {
  return `person${i}@domain${i % 997}.example.com`;
}

// Valid NANP numbers: area codes 201-989 that exist, exchange 200-999, distinct per index.
const AREAS = [201, 212, 213, 305, 312, 415, 503, 617, 702, 808];
function phoneOf(i) {
  const area = AREAS[i % AREAS.length];
  const rest = Math.floor(i / AREAS.length);
  const exchange = 200 + (rest % 800);
  const line = Math.floor(rest / 800) % 10000;
  return `+1${area}${exchange}${String(line).padStart(4, "0")}`;
}
