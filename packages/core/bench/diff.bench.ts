import { bench, describe } from "vitest";
import { diff } from "../src/diff.js";
import { rulesNeedingLookup } from "../src/rules-needing-lookup.js";
import { generateWorkload } from "./generate.mjs";

// 1,000,000 live profiles, 2,000 groups, 300,000 rules, 1% drift (issue 2). Generated once.
const { desired, live } = generateWorkload();
const options = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 };

describe("1,000,000 profiles, 2,000 groups, 300,000 rules, 1% drift", () => {
  bench(
    "diff",
    () => {
      const plan = diff(desired, live);
      if (plan.summary.add !== 3000 || plan.summary.remove !== 3000) {
        throw new Error(`unexpected plan: ${JSON.stringify(plan.summary)}`);
      }
    },
    options,
  );
  bench("rulesNeedingLookup", () => void rulesNeedingLookup(desired, live), options);
});
