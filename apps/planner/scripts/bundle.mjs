// Bundles the compiled CLI (dist/cli.js and everything it imports: the workspace packages, yaml,
// libphonenumber-js, undici) into dist/groupsync.mjs, the file the `groupsync` bin runs and
// the only code the published package ships (README, "Distribution"). Node resolves and links some
// 300 modules for one command otherwise: the bundle starts every command sooner. Run by
// `pnpm build` after tsc.
//
// ajv is a file of its own, dist/ajv.cjs: @groupsync/config requires it only for a groups.yaml
// with problems, and parsing it on every start would slow every command. Its require("ajv") is
// pointed at that file. So is string-width, dist/string-width.cjs, required for the first text
// that is not ASCII. The banner
// also gives the bundled CommonJS modules (undici, yaml) the `require` they expect for Node's own
// modules. The package thus has no dependencies: installing it fetches nothing else.
import { copyFile, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
const configRequire = createRequire(import.meta.resolve("@groupsync/config"));

await build({
  entryPoints: [configRequire.resolve("ajv")],
  outfile: dist("ajv.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
});

// string-width too (an ES module: esbuild makes it CommonJS), required by text-style.js for the
// first text that is not ASCII.
await build({
  entryPoints: [createRequire(import.meta.url).resolve("string-width")],
  outfile: dist("string-width.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
});

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
  plugins: [
    {
      name: "ajv-beside",
      setup(b) {
        // config loads ajv through its own createRequire(import.meta.url), invisible to esbuild;
        // in the bundle import.meta.url is this file's, so "./ajv.cjs" is the file beside it.
        b.onLoad({ filter: /[\\/]config[\\/]dist[\\/]schema\.js$/ }, async ({ path }) => {
          const source = await readFile(path, "utf8");
          if (!source.includes('require("ajv")')) {
            throw new Error(`${path} no longer loads ajv with require("ajv"): update scripts/bundle.mjs`);
          }
          return { contents: source.replaceAll('require("ajv")', 'require("./ajv.cjs")'), loader: "js" };
        });
        b.onLoad({ filter: /[\\/]planner[\\/]dist[\\/]text-style\.js$/ }, async ({ path }) => {
          const source = await readFile(path, "utf8");
          if (!source.includes('require("string-width")')) {
            throw new Error(
              `${path} no longer loads string-width with require("string-width"): update scripts/bundle.mjs`,
            );
          }
          return {
            contents: source.replaceAll('require("string-width")', 'require("./string-width.cjs")'),
            loader: "js",
          };
        });
      },
    },
  ],
  logLevel: "warning",
});

// The schema for editors (`# yaml-language-server: $schema=...`), from the package users install.
await copyFile(configRequire.resolve("@groupsync/config/groups.schema.json"), dist("groups.schema.json"));
