// Bundles the compiled CLI (dist/cli.js and everything it imports: the workspace packages, yaml,
// libphonenumber-js, undici) into dist/groupsync.mjs, the file the `groupsync` bin runs.
// Node resolves and links some 300 modules for one command otherwise: the bundle starts every
// command about 75 ms sooner on this machine (README, "Start-up"). Run by `pnpm build` after tsc.
//
// ajv is not in it: @groupsync/config requires it only for a groups.yaml with problems, through a
// require() from the module's own folder, which in the bundle is this package's dist/; ajv is
// therefore a dependency of this package too. The banner gives the bundled CommonJS modules
// (undici, yaml) the `require` they expect for Node's own modules.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

await build({
  entryPoints: [fileURLToPath(new URL("../dist/cli.js", import.meta.url))],
  outfile: fileURLToPath(new URL("../dist/groupsync.mjs", import.meta.url)),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  banner: {
    js: 'import { createRequire as __groupsyncCreateRequire } from "node:module";\nconst require = __groupsyncCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});
