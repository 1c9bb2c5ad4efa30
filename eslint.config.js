import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // undici's public exports only: its internal modules (`undici/lib/...`) change without notice.
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["undici/lib/*"], message: 'Import from "undici", not its internals.' }] },
      ],
    },
  },
  {
    // Plain scripts (bench/, emulator bench) run on Node: give them its globals.
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: Object.fromEntries(
        [
          "AbortController",
          "Buffer",
          "URL",
          "TextDecoder",
          "TextEncoder",
          "clearInterval",
          "clearTimeout",
          "console",
          "global",
          "performance",
          "process",
          "queueMicrotask",
          "setImmediate",
          "setInterval",
          "setTimeout",
          "structuredClone",
        ].map((name) => [name, "readonly"]),
      ),
    },
    // Some scripts list their globals in a `/* global */` comment: that is not a redeclaration.
    rules: { "no-redeclare": ["error", { builtinGlobals: false }] },
  },
  {
    // @groupsync/core is pure (DESIGN.md §8): no I/O, network, clock or randomness.
    files: ["packages/core/src/**/*.ts"],
    ignores: ["packages/core/src/**/*.test.ts", "packages/core/src/**/*.bench.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "fs", "http", "https", "net", "undici", "crypto"],
              message: "@groupsync/core is pure: pass effects in as arguments.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "@groupsync/core is pure." },
        { name: "process", message: "@groupsync/core is pure." },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "@groupsync/core takes the clock as an argument." },
        { object: "Math", property: "random", message: "@groupsync/core takes randomness as an argument." },
      ],
    },
  },
  {
    // The emulator is an independent implementation of Square: it must not import our client or domain.
    files: ["apps/square-emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@groupsync/*"], message: "The emulator depends on no workspace package." },
            { group: ["undici/lib/*"], message: 'Import from "undici", not its internals.' },
          ],
        },
      ],
    },
  },
);
