import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startEmulator } from "./emulator.js";
import { generateSeed } from "./generate-seed.js";
import { readSeedFile, SeedFileError, seedJsonChunks } from "./state-file.js";
import type { DelaySpec, EmulatorOptions } from "./types.js";

/** Where the CLI writes and how it is stopped (tests pass their own). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Stops `serve` when aborted (main() aborts on SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

const USAGE = `Usage:
  square-emulator serve [--port 0] [--host 127.0.0.1] [--token T] [--read-only-token T]
                        [--seed-file seed.json] [--state-file state.json]
                        [--search-lag-ms N|MIN-MAX] [--latency-ms N|MIN-MAX]
                        [--fault-rate R] [--reset-rate R] [--throttle-rate R]
                        [--rate-limit RPS] [--seed N]
  square-emulator generate --customers N --groups N [--seed N] > seed.json
  square-emulator --help | --version

serve prints its base URL (http://127.0.0.1:PORT) as the first line on stdout.
The token is --token, else $SQUARE_EMULATOR_TOKEN, else generated and shown on stderr.`;

/** A command-line mistake: printed with the usage, exit code 2. */
class UsageError extends Error {
  override name = "UsageError";
}

function integer(raw: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}; got "${raw}"`);
  }
  return Number(raw);
}

function rate(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`--${flag} must be a number from 0 to 1; got "${raw}"`);
  }
  return n;
}

function delay(raw: string | undefined, flag: string): DelaySpec | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--${flag} must be milliseconds (N) or a range (MIN-MAX); got "${raw}"`);
  const min = Number(m[1]);
  if (m[2] === undefined) return min;
  const max = Number(m[2]);
  if (max < min) throw new UsageError(`--${flag}: the range ${raw} ends before it starts`);
  return { min, max };
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      "read-only-token": { type: "string" },
      "seed-file": { type: "string" },
      "state-file": { type: "string" },
      "search-lag-ms": { type: "string" },
      "latency-ms": { type: "string" },
      "fault-rate": { type: "string" },
      "reset-rate": { type: "string" },
      "throttle-rate": { type: "string" },
      "rate-limit": { type: "string" },
      seed: { type: "string" },
    },
  });
  const options: EmulatorOptions = {};
  const port = integer(values.port, "port", 0, 65535);
  if (port !== undefined) options.port = port;
  if (values.host !== undefined) options.host = values.host;
  const token = values.token ?? io.env["SQUARE_EMULATOR_TOKEN"];
  if (token !== undefined) {
    if (token.trim() === "") throw new UsageError("--token must not be empty");
    options.token = token;
  }
  if (values["read-only-token"] !== undefined) options.readOnlyToken = values["read-only-token"];
  if (values["seed-file"] !== undefined) options.seed = await readSeedFile(values["seed-file"]);
  if (values["state-file"] !== undefined) options.stateFile = values["state-file"];
  const lag = delay(values["search-lag-ms"], "search-lag-ms");
  if (lag !== undefined) options.searchLagMs = lag;
  const latency = delay(values["latency-ms"], "latency-ms");
  if (latency !== undefined) options.latencyMs = latency;
  const faultRate = rate(values["fault-rate"], "fault-rate");
  if (faultRate !== undefined) options.faultRate = faultRate;
  const resetRate = rate(values["reset-rate"], "reset-rate");
  if (resetRate !== undefined) options.resetRate = resetRate;
  const throttleRate = rate(values["throttle-rate"], "throttle-rate");
  if (throttleRate !== undefined) options.throttleRate = throttleRate;
  if (values["rate-limit"] !== undefined) {
    const rps = Number(values["rate-limit"]);
    if (!Number.isFinite(rps) || rps <= 0) {
      throw new UsageError(
        `--rate-limit must be a positive number of requests per second; got "${values["rate-limit"]}"`,
      );
    }
    options.rateLimit = rps;
  }
  const seed = integer(values.seed, "seed", 0, 2 ** 32 - 1);
  if (seed !== undefined) options.randomSeed = seed;

  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      await write(
        io.stderr,
        `square-emulator: cannot listen on ${options.host ?? "127.0.0.1"}:${port ?? 0} (${code})\n`,
      );
      return 1;
    }
    throw error;
  }
  await write(io.stdout, `${emulator.url}\n`);
  if (token === undefined) await write(io.stderr, `square-emulator: token (generated): ${emulator.token}\n`);
  const customers = emulator.store.snapshot().customers.length;
  await write(
    io.stderr,
    `square-emulator: serving ${customers} customers and ${emulator.store.groups().length} groups\n`,
  );
  await new Promise<void>((resolve) => {
    if (!io.signal) return;
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await emulator.stop();
  return 0;
}

async function generate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { customers: { type: "string" }, groups: { type: "string" }, seed: { type: "string" } },
  });
  const customers = integer(values.customers, "customers", 0, 5_000_000);
  const groups = integer(values.groups, "groups", 0, 10_000);
  if (customers === undefined || groups === undefined)
    throw new UsageError("generate needs --customers and --groups");
  const seed = integer(values.seed, "seed", 0, 2 ** 32 - 1) ?? 1;
  for (const chunk of seedJsonChunks(generateSeed({ customers, groups, seed })))
    await write(io.stdout, chunk);
  return 0;
}

function isHelp(arg: string): boolean {
  return arg === "--help" || arg === "-h";
}

/** This package's version, from its package.json (one directory above dist/ and src/). */
function version(): string {
  const url = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `serve --help` too: a user checking an installed bin asks the subcommand.
    if (command === "--help" || command === "-h" || command === "help" || rest.some(isHelp)) {
      await write(io.stdout, `${USAGE}\n`);
      return 0;
    }
    if (command === "--version") {
      await write(io.stdout, `square-emulator ${version()}\n`);
      return 0;
    }
    if (command === "serve") return await serve(rest, io);
    if (command === "generate") return await generate(rest, io);
    throw new UsageError(command === undefined ? "missing command" : `unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      await write(io.stderr, `square-emulator: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof SeedFileError) {
      await write(io.stderr, `square-emulator: ${error.message}\n`);
      return 1;
    }
    await write(
      io.stderr,
      `square-emulator: internal error (a bug; please report it with the command you ran): ${(error as Error).message}\n`,
    );
    return 1;
  }
}

/** The `square-emulator` binary: reads process.argv, stops on SIGINT/SIGTERM, sets the exit code. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  // `generate | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  process.exitCode = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
}
