#!/usr/bin/env node
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@groupsync/square-emulator";
import { demoSeed } from "./demo-seed.js";
import { isEntryPoint } from "./entry-point.js";
import { run } from "./run.js";

/** The root groups.yaml of the repository (dist/demo.js -> ../../../groups.yaml). */
const ROOT_CONFIG = fileURLToPath(new URL("../../../groups.yaml", import.meta.url));

/** How long the emulator's search lags behind writes: the second plan must not depend on search. */
const SEARCH_LAG_MS = 60_000;

/**
 * The main job on a fresh machine (`pnpm demo`): a local Square emulator with a generated
 * account, then `groupsync plan` on the root groups.yaml, `groupsync apply --auto-approve`,
 * and `groupsync plan` again (`No changes.`), each through `run()`, the CLI's own path.
 * Writes the transcript to `write`; resolves to the first non-zero exit code, or 0.
 */
export async function runDemo(options: { write: (text: string) => void; config?: string }): Promise<number> {
  const seed = demoSeed();
  const emulator = await startEmulator({ seed, searchLagMs: SEARCH_LAG_MS });
  const dir = await mkdtemp(join(tmpdir(), "groupsync-demo-"));
  try {
    // A copy, so that the demo's state file (.groupsync/) lands in a temporary directory.
    await copyFile(options.config ?? ROOT_CONFIG, join(dir, "groups.yaml"));
    options.write(
      `groupsync demo: a local Square emulator at ${emulator.url} holding ${seed.customers.length} customer ` +
        `profiles and ${seed.groups.length} groups;\n` +
        `its search lags ${SEARCH_LAG_MS / 1000} s behind writes, as Square's does. The groups.yaml is the ` +
        "repository's own.\n",
    );
    const io = {
      stdout: { write: (text: string) => options.write(text) },
      stderr: { write: (text: string) => options.write(text) },
      stdin: new PassThrough(),
      env: { SQUARE_ACCESS_TOKEN: emulator.token, SQUARE_BASE_URL: emulator.url },
      cwd: dir,
      isTTY: false,
    };
    for (const argv of [["plan"], ["apply", "--auto-approve"], ["plan"]]) {
      options.write(`\n$ groupsync ${argv.join(" ")}\n`);
      const code = await run(argv, io);
      if (code !== 0) {
        options.write(`\n(groupsync ${argv[0] ?? ""} exited with ${code})\n`);
        return code;
      }
    }
    return 0;
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runDemo({ write: (text) => void process.stdout.write(text) });
}
