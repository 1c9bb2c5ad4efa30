/** The placeholder that replaces the access token wherever text might carry it. */
export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not redacted: replacing a 1-3 character string would mangle all output. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Returns a function that replaces every occurrence of each secret with {@link REDACTED}. Built
 * where errors are built (octokit's RequestError does the same with the authorization header),
 * so no error or log line can carry the token even when a server or a library echoes it; the
 * CLI passes its every output line through one too. Secrets are trimmed (a token read with
 * `$(cat token-file)` keeps a newline the client drops); missing and too short ones are skipped.
 */
export function createRedactor(
  secrets: string | ReadonlyArray<string | undefined>,
): (text: string) => string {
  const values = (typeof secrets === "string" ? [secrets] : secrets)
    .map((s) => s?.trim())
    .filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join(REDACTED);
    return out;
  };
}

/**
 * A copy of a low-level error (undici, Node) that keeps what helps debugging (name, code,
 * message, stack) with the secret removed, to be used as an error's `cause`.
 */
export function redactCause(cause: unknown, redact: (text: string) => string): unknown {
  if (!(cause instanceof Error)) return typeof cause === "string" ? redact(cause) : undefined;
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  if (cause.stack !== undefined) copy.stack = redact(cause.stack);
  if (cause.cause !== undefined) Object.assign(copy, { cause: redactCause(cause.cause, redact) });
  return copy;
}
