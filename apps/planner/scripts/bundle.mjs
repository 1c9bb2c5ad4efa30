// Bundles the compiled CLI (dist/cli.js and everything it imports: the workspace packages, yaml,
// libphonenumber-js, undici) into dist/groupsync.mjs, the file the `groupsync` bin runs and
// the only code the published package ships (README, "Distribution"). Node resolves and links some
// 300 modules for one command otherwise: the bundle starts every command sooner. Run by
// `pnpm build` after tsc.
//
// string-width is a file of its own, dist/string-width.cjs: text-style.js requires it only for the
// first text that is not ASCII, and parsing it on every start would slow every command. Its
// require("string-width") is pointed at that file. The banner also gives the bundled CommonJS
// modules (undici, yaml) the `require` they expect for Node's own modules. The package thus has
// no dependencies: installing it fetches nothing else. (The schema validators are generated code
// in the packages: no ajv at run time.)
import { copyFile, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
const configRequire = createRequire(import.meta.resolve("@groupsync/config"));

// string-width (an ES module: esbuild makes it CommonJS).
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
      name: "string-width-beside",
      setup(b) {
        // text-style.js loads it through its own createRequire(import.meta.url), invisible to
        // esbuild; in the bundle import.meta.url is this file's, so "./string-width.cjs" is beside it.
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
    {
      // yaml's parser and composer read a debugging switch from the environment for every token
      // (`LOG_TOKENS`, `LOG_STREAM`). process.env is a lookup in Node's C++ layer each time, a large
      // share of parsing a long groups.yaml; the CLI never asks yaml for that output, so its
      // bundle reads the switches as off.
      name: "yaml-debug-switches-off",
      setup(b) {
        b.onLoad(
          { filter: /[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ },
          async ({ path }) => {
            const source = await readFile(path, "utf8");
            const contents = source.replace(/node_process\.env\.(LOG_TOKENS|LOG_STREAM)\b/g, "undefined");
            if (contents === source) {
              throw new Error(
                `${path} no longer reads node_process.env.LOG_TOKENS/LOG_STREAM: update scripts/bundle.mjs`,
              );
            }
            return { contents, loader: "js" };
          },
        );
      },
    },
  ],
  logLevel: "warning",
});

// The schema for editors (`# yaml-language-server: $schema=...`), from the package users install.
await copyFile(configRequire.resolve("@groupsync/config/groups.schema.json"), dist("groups.schema.json"));
