import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SeedData } from "@groupsync/square-emulator";
// The benchmark's generator: the same workloads, the same known drift.
import { buildWorkload } from "../../bench/workload.mjs";

interface WorkloadRule {
  kind: string;
  value: string;
  profileId: string;
  drifted: boolean;
}

export interface Scenario {
  /** The seed the emulator starts from (clone it: the emulator may keep references). */
  seed: SeedData;
  /** groups.yaml: the workload's groups plus `newGroups` groups that do not exist yet. */
  file: string;
  dir: string;
  /** Group name -> profile IDs that must be its members once the plan is applied. */
  expected: Map<string, Set<string>>;
  /** Membership changes the first apply has to make. */
  changes: number;
}

/**
 * A workload of bench/workload.mjs (its memberships and drift are known exactly) written to a
 * fresh folder as groups.yaml, with `newGroups` extra groups that apply must create, each
 * holding `perNewGroup` profiles that already exist.
 */
export async function createScenario(options: {
  customers: number;
  groups: number;
  rules: number;
  drift: number;
  seed?: number;
  newGroups?: number;
  perNewGroup?: number;
}): Promise<Scenario> {
  const { newGroups = 0, perNewGroup = 5, ...size } = options;
  const workload = buildWorkload(size) as {
    seed: SeedData;
    yaml: string;
    desired: Array<{ name: string; rules: WorkloadRule[] }>;
    expected: { adds: number; removes: number };
  };
  const expected = new Map<string, Set<string>>();
  for (const group of workload.desired)
    expected.set(group.name, new Set(group.rules.map((r) => r.profileId)));
  const emails = workload.desired.flatMap((g) => g.rules.filter((r) => r.kind === "email"));
  let yaml = workload.yaml;
  for (let i = 0; i < newGroups; i++) {
    const name = `Resilience New Group ${i + 1}`;
    const members = emails.slice(i * perNewGroup, (i + 1) * perNewGroup);
    yaml += [
      `  new-${i + 1}:`,
      `    name: ${JSON.stringify(name)}`,
      "    members:",
      ...members.map((r) => `      - email: ${JSON.stringify(r.value)}`),
      "",
    ].join("\n");
    expected.set(name, new Set(members.map((r) => r.profileId)));
  }
  const dir = await mkdtemp(join(tmpdir(), "groupsync-resilience-"));
  const file = join(dir, "groups.yaml");
  await writeFile(file, yaml);
  return {
    seed: workload.seed,
    file,
    dir,
    expected,
    changes: workload.expected.adds + workload.expected.removes + newGroups * perNewGroup,
  };
}
