// Bundles the compiled CLI (dist/cli.js and everything it imports: the workspace packages, yaml,
// libphonenumber-js, undici) into dist/groupsync.mjs, the file the `groupsync` bin runs and
// the only code the published package ships (README, "Distribution"). Node resolves and links some
// 300 modules for one command otherwise: the bundle starts every command sooner. Run by
// `pnpm build` after tsc.
//
// The banner gives the bundled CommonJS modules (undici, yaml) the `require` they expect for
// Node's own modules. The package thus has no dependencies: installing it fetches nothing else.
// (The schema validators are generated code in the packages: no ajv at run time.)
import { copyFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
const configRequire = createRequire(import.meta.resolve("@groupsync/config"));

await build({
  entryPoints: [dist("cli.js")],
  outfile: dist("groupsync.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  banner: {
    js: 'import { createRequire as __groupsyncCreateRequire } from "node:module";\nconst require = __groupsyncCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});

// The schema for editors (`# yaml-language-server: $schema=...`), from the package users install.
await copyFile(configRequire.resolve("@groupsync/config/groups.schema.json"), dist("groups.schema.json"));
