export { main } from "./cli.js";
export { run } from "./run.js";
export type { Io } from "./io.js";
export { CliError, UsageError } from "./errors.js";
export type { CliErrorCode } from "./errors.js";
