// Workloads for the benchmark (issue 6) and the resilience suite: a seed from the emulator's
// generator, memberships laid out so that a groups.yaml with a known number of rules describes
// the account exactly (0% drift) or with a known share of differences (1% drift), and the cost
// floor of DESIGN.md §7 for that pair.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateSeed } from "@groupsync/square-emulator";

/**
 * The sizes of issue 6. `rules` is also the number of live memberships at 0% drift. L's groups
 * list their rules in CSV members files beside groups.yaml (`membersFiles`), as `import` writes
 * groups of more than 500 members: no one keeps 200,000 rules in YAML.
 */
export const SIZES = {
  S: { customers: 5_000, groups: 5, rules: 1_000 },
  M: { customers: 100_000, groups: 50, rules: 20_000 },
  L: { customers: 1_000_000, groups: 200, rules: 200_000, membersFiles: true },
};

/** Share of customer_id rules among the rules that match a current member (the rest are emails). */
const CUSTOMER_ID_SHARE = 0.1;

/** mulberry32: a small seeded PRNG, so that every workload is the same on every machine. */
export function createRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const normalizeEmail = (email) => email.trim().toLowerCase();

/**
 * Builds a workload.
 * - The emulator's `generateSeed` makes the profiles and groups (realistic names, mixed-case
 *   emails, duplicates sharing an email).
 * - Its memberships are replaced: `rules` memberships spread over the groups with sizes from
 *   0.5x to 1.5x the mean, drawn among profiles whose email no other profile shares (so that
 *   every rule resolves to one profile and the plan's size is known exactly).
 * - The desired state lists one rule per member (email, or customer_id for ~10%); with
 *   `drift` > 0, round(drift x size) rules per group are swapped: a member's rule is dropped
 *   (one remove_member) and a rule for a profile outside the group is added (one look-up and
 *   one add_member).
 * - With `membersFiles`, each group's rules are in `<key>.csv` (`members_file`), not in groups.yaml.
 * Returns the seed for the emulator, the desired groups, the groups.yaml text and its members
 * files (`files`: name -> CSV text; see `writeWorkload`), and the expected numbers (adds,
 * removes, live sizes) that the floor is computed from.
 */
export function buildWorkload({ customers, groups, rules, drift = 0, seed = 42, membersFiles = false }) {
  const data = generateSeed({ customers, groups, seed });
  const random = createRandom(seed * 7919 + Math.round(drift * 1e4));
  const byEmail = new Map();
  for (const customer of data.customers) {
    customer.group_ids = [];
    if (customer.email_address === undefined) continue;
    const key = normalizeEmail(customer.email_address);
    byEmail.set(key, byEmail.has(key) ? null : customer);
  }
  const pool = [...byEmail.values()].filter((c) => c !== null);
  const liveGroups = data.groups;
  if (pool.length < rules / liveGroups.length + 10)
    throw new Error("not enough unique profiles for this workload");

  const sizes = groupSizes(rules, liveGroups.length);
  const desiredGroups = [];
  const expected = { adds: 0, removes: 0, lookups: 0, liveMembers: [], candidates: 0 };
  const candidates = new Set();
  liveGroups.forEach((group, index) => {
    const size = sizes[index];
    const members = sample(pool, size + Math.ceil(size * drift) + 1, random);
    const live = members.slice(0, size);
    for (const customer of live) customer.group_ids.push(group.id);
    const swaps = Math.round(size * drift);
    const kept = live.slice(swaps);
    const added = members.slice(size, size + swaps);
    // `profileId` and `drifted` are for the harness (the baseline's sample), not groups.yaml.
    const groupRules = [
      ...kept.map((c) =>
        random() < CUSTOMER_ID_SHARE
          ? { kind: "customer_id", value: c.id, profileId: c.id, drifted: false }
          : { kind: "email", value: normalizeEmail(c.email_address), profileId: c.id, drifted: false },
      ),
      ...added.map((c) => ({
        kind: "email",
        value: normalizeEmail(c.email_address),
        profileId: c.id,
        drifted: true,
      })),
    ];
    desiredGroups.push({
      key: `g${String(index).padStart(3, "0")}`,
      name: group.name,
      id: group.id,
      rules: groupRules,
    });
    for (const c of [...live.slice(0, swaps), ...added]) candidates.add(c.id);
    expected.adds += swaps;
    expected.removes += swaps;
    expected.lookups += swaps;
    expected.liveMembers.push(size);
  });
  // Distinct profiles: one can be added to a group and removed from another.
  expected.candidates = candidates.size;
  return {
    seed: data,
    desired: desiredGroups,
    yaml: toYaml(desiredGroups, liveGroups, membersFiles),
    files: membersFiles ? toMembersFiles(desiredGroups) : new Map(),
    desiredState: () => toDesiredState(desiredGroups, liveGroups),
    expected,
    size: { customers, groups, rules, drift },
  };
}

/** Sizes from 0.5x to 1.5x the mean that add up to `total` exactly. */
function groupSizes(total, count) {
  const weights = Array.from({ length: count }, (_, i) => 0.5 + (count === 1 ? 0.5 : i / (count - 1)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((w / sum) * total));
  let rest = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = sizes.length - 1; rest > 0; i = (i - 1 + sizes.length) % sizes.length, rest--) sizes[i]++;
  return sizes;
}

/** `n` distinct elements of `items`, drawn with `random` (partial Fisher-Yates on indexes). */
function sample(items, n, random) {
  const picked = new Map();
  const out = [];
  for (let i = 0; i < n && i < items.length; i++) {
    const j = i + Math.floor(random() * (items.length - i));
    const atJ = picked.get(j) ?? j;
    picked.set(j, picked.get(i) ?? i);
    out.push(items[atJ]);
  }
  return out;
}

/**
 * Writes a workload's groups.yaml as `dir/name` and its members files beside it; returns the
 * path of groups.yaml.
 */
export async function writeWorkload(dir, workload, name = "groups.yaml") {
  await mkdir(dir, { recursive: true });
  for (const [file, text] of workload.files) await writeFile(join(dir, file), text);
  const path = join(dir, name);
  await writeFile(path, workload.yaml);
  return path;
}

/**
 * groups.yaml for the desired groups. Names are matched by name; a group whose name another
 * live group shares (case-insensitively) is pinned by `id:`, as DESIGN.md §3 asks. With
 * `membersFiles`, a group with rules names its CSV file instead of listing them.
 */
function toYaml(desiredGroups, liveGroups, membersFiles) {
  const duplicated = duplicatedNames(liveGroups);
  const lines = [
    "# Generated by bench/workload.mjs",
    "version: 1",
    "defaults:",
    "  membership: authoritative",
    "groups:",
  ];
  for (const group of desiredGroups) {
    lines.push(`  ${group.key}:`, `    name: ${JSON.stringify(group.name)}`);
    if (duplicated.has(group.name.trim().toLowerCase())) lines.push(`    id: ${JSON.stringify(group.id)}`);
    if (group.rules.length === 0) {
      lines.push("    members: []");
      continue;
    }
    if (membersFiles) {
      lines.push(`    members_file: ${group.key}.csv`);
      continue;
    }
    lines.push("    members:");
    for (const rule of group.rules) lines.push(`      - ${rule.kind}: ${JSON.stringify(rule.value)}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * `<key>.csv` for each group with rules: an `email` and a `customer_id` column, one rule a row
 * (the other cell empty). Emails and Square IDs hold no comma or quote: no cell needs quoting.
 */
function toMembersFiles(desiredGroups) {
  const files = new Map();
  for (const group of desiredGroups) {
    if (group.rules.length === 0) continue;
    const rows = group.rules.map((rule) => (rule.kind === "email" ? `${rule.value},` : `,${rule.value}`));
    files.set(`${group.key}.csv`, ["email,customer_id", ...rows].join("\n") + "\n");
  }
  return files;
}

/**
 * The DesiredState (packages/core/src/types.ts) that @groupsync/config makes of `toYaml`'s text:
 * every default applied, values already normalized. For files too large for the config loader.
 */
function toDesiredState(desiredGroups, liveGroups) {
  const duplicated = duplicatedNames(liveGroups);
  return {
    country: "US",
    unmanagedGroups: "ignore",
    groups: desiredGroups.map((group) => ({
      key: group.key,
      name: group.name,
      previously: [],
      ...(duplicated.has(group.name.trim().toLowerCase()) ? { id: group.id } : {}),
      membership: "authoritative",
      match: "one",
      missing: "skip",
      rules: group.rules.map((rule) => ({ kind: rule.kind, value: rule.value })),
    })),
  };
}

function duplicatedNames(liveGroups) {
  const count = new Map();
  for (const g of liveGroups) {
    const key = g.name.trim().toLowerCase();
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return new Set([...count].filter(([, n]) => n > 1).map(([name]) => name));
}

/**
 * The cost floor of DESIGN.md §7 for reading the account and applying the plan:
 *   ceil(groups / 50)                      ListCustomerGroups pages
 * + sum over managed groups of max(1, ceil(members / 100))   SearchCustomers group_ids.any pages
 * + one look-up per rule no current member satisfies           (email_address.exact, one page each)
 * + ceil(candidates / 100)                BulkRetrieveCustomers (candidates = distinct profiles to add or remove)
 * + 1 per group deleted                   SearchCustomers group_ids.any with count (its true member count)
 * + adds + removes                        one AddGroupToCustomer / RemoveGroupFromCustomer each
 * + ceil(creates / 100)                    BulkCreateCustomers (`missing: create` profiles, 100 a call)
 * `read` is the floor of a plan alone; `total` includes the writes of its apply.
 */
export function costFloor({
  liveGroups,
  liveMembers,
  lookups,
  candidates,
  adds,
  removes,
  creates = 0,
  deletedGroups = 0,
}) {
  const listPages = Math.max(1, Math.ceil(liveGroups / 50));
  const searchPages = liveMembers.reduce((sum, m) => sum + Math.max(1, Math.ceil(m / 100)), 0);
  const verify = Math.ceil(candidates / 100);
  const createCalls = Math.ceil(creates / 100);
  const read = listPages + searchPages + lookups + verify + deletedGroups;
  const writes = adds + removes + createCalls;
  return {
    listPages,
    searchPages,
    lookups,
    verify,
    deletionCounts: deletedGroups,
    createCalls,
    writes,
    read,
    total: read + writes,
  };
}
