// Times `parseConfig` on a groups.yaml whose one group reads a members file (README "Figures"):
//   node packages/config/bench/csv.mjs [--rows 200000] [--runs 7] [--shape export|emails]
// Needs the built package (`npx pnpm@12.4.2 --filter @groupsync/config build`). The CSV is
// generated once (deterministic) into the OS temp directory: `export` is an event tool's export
// (BOM, CRLF, six columns, names quoted because they hold a comma, a phone on every fourth row),
// `emails` a single email column. Each run is a fresh `node` process that reads the bytes, then
// times parse + validate (parseConfig: groups.yaml, the CSV parse, normalizing every rule, the
// duplicate check); the median of the runs is reported, with its CPU time and peak RSS.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const YAML = "version: 1\ngroups:\n  attendees:\n    name: Attendees\n    members_file: attendees.csv\n";

if (process.argv[2] === "--child") {
  const { parseConfig } = await import(pathToFileURL(join(here, "../dist/index.js")).href);
  const bytes = readFileSync(process.argv[3]);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = parseConfig(YAML, { readMembersFile: () => ({ ok: true, bytes }) });
  const cpu = process.cpuUsage(cpuStart);
  const ms = performance.now() - start;
  const rules = result.ok ? result.desired.groups[0].rules.length : -1;
  const problems = result.ok ? 0 : result.problems.length;
  console.log(
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      rules,
      problems,
    }),
  );
  process.exit(0);
}

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const rows = Number(option("--rows", "200000"));
const runs = Number(option("--runs", "7"));
const shape = option("--shape", "export");

const file = join(tmpdir(), `groupsync-config-bench-${shape}-${rows}.csv`);
if (!existsSync(file)) {
  const lines =
    shape === "emails"
      ? ["email", ...Array.from({ length: rows }, (_, i) => `attendee${i}@example.com`)]
      : [
          "First Name,Last Name,Email,Phone,Company,Ticket",
          ...Array.from({ length: rows }, (_, i) => {
            // Unique valid numbers: 415-200-0000, 415-200-0004, ... 415-204-9996.
            const phone =
              i % 4 === 0
                ? `+1 415-${200 + Math.floor(i / 10000)}-${String(i % 10000).padStart(4, "0")}`
                : "";
            return `Ada ${i},"Lovelace, ${i % 97}",Attendee${i}@Example.com,${phone},Analytical Engines Ltd,General Admission`;
          }),
        ];
  writeFileSync(
    file,
    (shape === "emails" ? "" : "\uFEFF") + lines.join(shape === "emails" ? "\n" : "\r\n") + "\r\n",
  );
}

const mib = readFileSync(file).length / 2 ** 20;
const samples = [];
for (let i = 0; i < runs; i++) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", file], {
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(child.stderr);
  samples.push(JSON.parse(child.stdout));
}
const median = (key) => {
  const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const { rules, problems } = samples[0];
console.log(
  `${shape}, ${rows} rows (${mib.toFixed(1)} MiB, ${rules} rules, ${problems} problems): median of ${runs} ` +
    `${median("ms").toFixed(0)} ms (CPU ${median("cpuMs").toFixed(0)} ms), peak RSS ${median("maxRssMiB").toFixed(0)} MiB ` +
    `(all: ${samples.map((s) => s.ms.toFixed(0)).join(", ")} ms)`,
);
