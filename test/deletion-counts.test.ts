import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type SeedData } from "@groupsync/square-emulator";
import { costFloor } from "../bench/workload.mjs";
import { groupsync, tempDir } from "./support/run-cli.js";

// Issue 17: a group `unmanaged_groups: delete` removes shows its true member count (one
// SearchCustomers `count` per group), not the few members the managed groups' searches saw.
const TOKEN = "EAAAl-deletion-counts-token-0123456789";
const AT = "2023-01-01T00:00:00.000Z";
const VIP = "GVIP0000000000000000000001";
const OLD = "GOLD0000000000000000000001";

function seed(): SeedData {
  const customers = Array.from({ length: 36 }, (_, i) => ({
    id: `COLD${String(i).padStart(22, "0")}`,
    created_at: AT,
    updated_at: AT,
    given_name: `Old${i}`,
    email_address: `old${i}@example.com`,
    // The first one is also a VIP: the only Old List member the VIP search sees.
    group_ids: i === 0 ? [VIP, OLD] : [OLD],
    version: 0,
  }));
  return {
    groups: [
      { id: VIP, name: "VIP", created_at: AT, updated_at: AT },
      { id: OLD, name: "Old List", created_at: AT, updated_at: AT },
    ],
    customers,
  };
}

const CONFIG = `version: 1
unmanaged_groups: delete
groups:
  vip:
    name: VIP
    members:
      - email: old0@example.com
`;

let emulator: Emulator;
let dir: string;
let remove: () => Promise<void>;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN, seed: seed() });
  env = { SQUARE_ACCESS_TOKEN: TOKEN, SQUARE_BASE_URL: emulator.url, NO_COLOR: "1" };
  ({ dir, remove } = await tempDir());
  await writeFile(join(dir, "groups.yaml"), CONFIG);
});
afterAll(async () => {
  await emulator?.stop();
  await remove?.();
});

const plan = (...args: string[]) => groupsync(["plan", ...args], { cwd: dir, env });

describe("deleting an unmanaged group", () => {
  it("shows its 36 members in text, at the floor's calls, and the guards name them", async () => {
    emulator.reset();
    const result = await plan();
    // The plan is shown, and refused by the guards it needs lifting.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`- group["${OLD}"] "Old List" (36 members)`);
    expect(result.stdout).toContain(`group["${OLD}"] "Old List" is deleted with its 36 members`);
    expect(result.stdout).toContain("deletes 1 group (36 members) (needs --allow-delete)");
    // list 1 + VIP's one page + Old List's count; nothing to look up or verify.
    const floor = costFloor({
      liveGroups: 2,
      liveMembers: [1],
      lookups: 0,
      candidates: 0,
      adds: 0,
      removes: 0,
      deletedGroups: 1,
    });
    expect(emulator.stats().calls).toEqual({ ListCustomerGroups: 1, SearchCustomers: 2 });
    expect(emulator.stats().total).toBe(floor.read);
  });

  it("shows them in markdown and JSON", async () => {
    const [markdown, json] = await Promise.all([plan("--format", "markdown"), plan("--format", "json")]);
    expect(markdown.stdout).toContain('"Old List" (36 members)');
    expect(markdown.stdout).toContain("is deleted with its 36 members");
    const parsed = JSON.parse(json.stdout) as {
      safety: { deletedGroups: unknown[]; massRemovals: unknown[] };
    };
    expect(parsed.safety.deletedGroups).toEqual([{ groupId: OLD, name: "Old List", liveMembers: 36 }]);
    expect(parsed.safety.massRemovals).toEqual([
      { group: `group["${OLD}"]`, removing: 36, liveMembers: 36, reason: "delete" },
    ]);
  });

  it("is refused without --allow-delete and --allow-mass-removal, and applied with both", async () => {
    const refused = await groupsync(["apply", "--auto-approve", "--allow-delete"], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`deleting group["${OLD}"] "Old List" removes its 36 members`);
    expect(refused.stderr).toContain("--allow-mass-removal");
    const done = await groupsync(["apply", "--auto-approve", "--allow-delete", "--allow-mass-removal"], {
      cwd: dir,
      env,
    });
    expect(done.code).toBe(0);
    expect(emulator.store.groups().map((g) => g.name)).toEqual(["VIP"]);
  });
});
