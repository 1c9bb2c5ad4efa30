import type { OptionDef } from "./command.js";
import { UsageError } from "./errors.js";

/**
 * Terraform spells long options with one dash (`-out=plan.json`, `-auto-approve`,
 * `-detailed-exitcode`, `-no-color`, `-json`), and its users type them by reflex: a single-dash
 * word that names a long option of the command is that option, and `-json` is `--format json`
 * where the command has `--format`. Short options stay single letters and keep their meaning
 * (`-h`, `-f pin.yaml`, `-fpin.yaml`); a long name wins over short letters that spell it
 * (`-format=json` is `--format=json`, not `-f ormat=json`), and any other single-dash word is
 * refused by its own name, not as the short option its first letter happens to be.
 */
export function expandSingleDashOptions(
  args: readonly string[],
  options: Readonly<Record<string, OptionDef>>,
  command: string,
): string[] {
  const shorts = new Map<string, OptionDef>();
  for (const def of Object.values(options)) if (def.short !== undefined) shorts.set(def.short, def);
  const out: string[] = [];
  let valueNext = false;
  for (const [i, arg] of args.entries()) {
    if (valueNext || arg === "--") {
      valueNext = false;
      out.push(arg);
      if (arg === "--") return [...out, ...args.slice(i + 1)];
      continue;
    }
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      valueNext = !name.includes("=") && options[name]?.type === "string";
      out.push(arg);
      continue;
    }
    const word = /^-([a-z][a-z0-9-]+)(=.*)?$/.exec(arg);
    const name = word?.[1] ?? "";
    const value = word?.[2];
    const negated = name.startsWith("no-") ? options[name.slice(3)] : undefined;
    if (word !== null && (options[name] !== undefined || negated?.negatable === true)) {
      out.push(`--${name}${value ?? ""}`);
      valueNext = value === undefined && options[name]?.type === "string";
    } else if (name === "json" && value === undefined && options["format"] !== undefined) {
      out.push("--format=json");
    } else if (word === null || isShortCluster(arg.slice(1), shorts)) {
      // A short option, a cluster of them, or a value that begins with a dash.
      const short = arg.length === 2 ? shorts.get(arg.charAt(1)) : undefined;
      valueNext = short?.type === "string";
      out.push(arg);
    } else {
      throw new UsageError(`Unknown option "-${name}".`, command);
    }
  }
  return out;
}

/**
 * Whether `letters` (after the dash) read as short options: known boolean flags, possibly ending
 * in a string option with its value attached (`-fpin.yaml`).
 */
function isShortCluster(letters: string, shorts: ReadonlyMap<string, OptionDef>): boolean {
  for (let i = 0; i < letters.length; i++) {
    const def = shorts.get(letters.charAt(i));
    if (def === undefined) return false;
    if (def.type === "string") return true; // the rest is its value
  }
  return true;
}
