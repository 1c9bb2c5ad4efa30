/** The placeholder that replaces the access token wherever text might carry it. */
export const REDACTED = "[REDACTED]";

/**
 * Returns a function that removes `secret` from text. Built where errors are built (octokit's
 * RequestError does the same with the authorization header), so no error or log line of this
 * package can carry the token even when a server or a library echoes it.
 */
export function createRedactor(secret: string): (text: string) => string {
  if (secret.length === 0) return (text) => text;
  return (text) => text.split(secret).join(REDACTED);
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
