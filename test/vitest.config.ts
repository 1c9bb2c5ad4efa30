import { defineConfig } from "vitest/config";

// Repository-level tests: they drive the built CLI as a user would (bad-input corpus, secrets).
// The resilience suite has its own config (test/resilience/) and runs with `pnpm test:resilience`.
export default defineConfig({
  test: {
    name: "repo",
    include: ["*.test.ts"],
    testTimeout: 60_000,
  },
});
