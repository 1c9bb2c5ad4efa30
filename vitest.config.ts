import { defineConfig } from "vitest/config";

// One vitest run over every package and the repository-level tests, so `pnpm test` ends with a
// single summary.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "test"],
  },
});
