import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The resilience suite of issue 6 (docs/reliability.md): minutes, not seconds, so it stays out of
// the root CI run and has its own command, `pnpm test:resilience`. Files run one after another:
// each drives the emulator and the CLI hard, and the machine has two cores.
export default defineConfig({
  test: {
    name: "resilience",
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
