/**
 * Runs `run` with `process.env` swapped for a plain copy, and puts the real one back.
 *
 * yaml 2.9.1's CST parser reads `process.env.LOG_TOKENS` for every token (`Parser#next` in
 * `dist/parse/parser.js`). Node's `process.env` asks the C library on every read, which costs
 * about 70 ms per MiB of groups.yaml (a fifth of the parse); a plain object answers in
 * nanoseconds. `run` is synchronous, so no other code can observe the copy, and a variable set
 * in the real environment (`LOG_TOKENS=1` to debug yaml) is still seen.
 */
export function withPlainEnv<T>(run: () => T): T {
  const env = process.env;
  try {
    process.env = { ...env };
  } catch {
    // A frozen `process` (some sandboxes): parse with the real one, only slower.
    return run();
  }
  try {
    return run();
  } finally {
    process.env = env;
  }
}
