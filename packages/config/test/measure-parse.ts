// Times the positional path's parts (yaml's parseDocument, toJS, ajv) on generated files:
// `npx tsx packages/config/test/measure-parse.ts` (not part of the suite).
import { LineCounter, parseDocument } from "yaml";
import { parseConfig } from "../src/index.js";
import { validateSchema } from "../src/schema.js";

const AREA_CODES = [415, 212, 310, 646, 617, 312, 206, 303, 512, 702];

/** `groups` groups of `perGroup` rules: emails, and a phone every fourth rule. */
function generate(groups: number, perGroup: number): { text: string; rules: number } {
  const lines = ["version: 1", "groups:"];
  let rules = 0;
  for (let g = 0; g < groups; g++) {
    lines.push(`  g${g}:`, `    name: Group ${g}`, "    members:");
    for (let i = 0; i < perGroup; i++, rules++) {
      const k = Math.floor(i / 4);
      lines.push(
        i % 4 === 0
          ? `      - phone: "+1 ${AREA_CODES[Math.floor(k / 100) % 10]} 555 ${String(100 + (k % 100)).padStart(4, "0")}"`
          : `      - email: person${rules}@example.com`,
      );
    }
  }
  return { text: lines.join("\n") + "\n", rules };
}

for (const [groups, perGroup] of [
  [100, 500],
  [2000, 25],
  [10, 3800],
] as const) {
  const { text, rules } = generate(groups, perGroup);
  const time = <T>(f: () => T): [T, number] => {
    const start = performance.now();
    const value = f();
    return [value, Math.round(performance.now() - start)];
  };
  const [doc, yamlMs] = time(() =>
    parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false }),
  );
  const [data, toJsMs] = time(() => doc.toJS({ maxAliasCount: 100 }) as unknown);
  const [, ajvMs] = time(() => validateSchema(data));
  const [result, totalMs] = time(() => parseConfig(text));
  const mib = (new TextEncoder().encode(text).length / 2 ** 20).toFixed(2);
  console.log(
    `${groups} groups x ${perGroup} rules = ${rules} rules, ${mib} MiB: yaml ${yamlMs} ms, toJS ${toJsMs} ms, ajv ${ajvMs} ms, parseConfig ${totalMs} ms (ok: ${result.ok})`,
  );
}
