import { parseArgs } from "node:util";
import type { Command, CommandContext } from "./command.js";
import { COMMON_OPTIONS } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { reportError } from "./report-error.js";
import { CliError, UsageError } from "./errors.js";
import { renderCommandHelp, renderMainHelp } from "./help.js";
import { interruptedError, interruptExitCode, interruptOf } from "./interrupt.js";
import { expandSingleDashOptions } from "./single-dash-options.js";
import { createOutput, type Io } from "./io.js";
import { colorEnabled, createTextStyle } from "./text-style.js";
import { version } from "./version.js";

/**
 * Runs one groupsync command line and resolves to its exit code (0 success / no changes,
 * 1 error, 2 changes present with `plan --detailed-exitcode`, 130 / 143 interrupted through
 * `io.signal`). Never throws and never touches `process`: everything it reads or writes goes
 * through `io`.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const output = createOutput(io);
  const debug = argv.includes("--debug");
  const signal = io.signal;
  const onInterrupt = () =>
    output.err(
      `\n${interruptOf(signal!)} received: starting nothing new; requests already sent get a few seconds ` +
        "to finish. Send it again to stop at once.\n",
    );
  signal?.addEventListener("abort", onInterrupt, { once: true });
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      output.err(renderMainHelp(COMMANDS, version()));
      return 1;
    }
    if (name === "-h" || name === "--help" || name === "help") {
      const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      output.out(topic === undefined ? renderMainHelp(COMMANDS, version()) : renderCommandHelp(topic));
      return 0;
    }
    if (name === "-v" || name === "--version" || name === "version") {
      output.out(`groupsync ${version()}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) {
      if (name.startsWith("-")) throw new UsageError(`Expected a command before "${name}".`);
      throw new UsageError(`Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(", ")}.`);
    }
    const line = parseCommandLine(command, rest);
    if (line.values["help"] === true) {
      output.out(renderCommandHelp(command));
      return 0;
    }
    const flag = line.values["color"];
    const color = colorEnabled({
      flag: typeof flag === "boolean" ? flag : undefined,
      env: io.env,
      isTTY: io.isTTY === true,
    });
    const context: CommandContext = {
      io,
      output,
      ...line,
      style: createTextStyle(color),
      debug: line.values["debug"] === true,
    };
    const code = await command.run(context);
    return signal?.aborted === true ? interruptExitCode(interruptOf(signal)) : code;
  } catch (error) {
    if (signal?.aborted === true && !(error instanceof CliError && error.code === "GS_CLI_INTERRUPTED")) {
      // The command stopped on the interruption (a request not sent); apply reports its own.
      const stopped = interruptedError(signal, "stopped before it finished; nothing was changed in Square.", {
        cause: error,
      });
      return reportError(stopped, output, debug);
    }
    return reportError(error, output, debug);
  } finally {
    signal?.removeEventListener("abort", onInterrupt);
  }
}

/** The command's options and arguments, checked. */
function parseCommandLine(
  command: Command,
  args: readonly string[],
): Pick<CommandContext, "values" | "positionals"> {
  const options = { ...command.options, ...COMMON_OPTIONS };
  const expanded = expandSingleDashOptions(args, options, command.name);
  let parsed;
  try {
    parsed = parseArgs({
      args: expanded,
      options: Object.fromEntries(
        Object.entries(options).map(([name, def]) => [
          name,
          {
            type: def.type,
            ...(def.short === undefined ? {} : { short: def.short }),
            ...(def.multiple === true ? { multiple: true } : {}),
          },
        ]),
      ),
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs' messages are clear but mention internals ("To specify a positional argument..."):
    // keep their first sentence.
    const message = error instanceof Error ? (error.message.split(/\. (?=[A-Z])/)[0] ?? error.message) : "";
    throw new UsageError(message.endsWith(".") ? message : `${message}.`, command.name);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    const def = options[name];
    if (value === false && def?.negatable !== true && def?.negativeOnly !== true) {
      throw new UsageError(`Unknown option "--no-${name}".`, command.name);
    }
    if (value === true && def?.negativeOnly === true) {
      throw new UsageError(`Unknown option "--${name}" (did you mean "--no-${name}"?).`, command.name);
    }
  }
  if (parsed.positionals.length > command.maxPositionals) {
    const extra = parsed.positionals[command.maxPositionals];
    throw new UsageError(`Unexpected argument "${extra}".`, command.name);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return { values, positionals: parsed.positionals };
}
