import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED, redactCause } from "./redact.js";

describe("redaction", () => {
  const secret = "EAAAsentinel-token-123";
  const redact = createRedactor(secret);
  it("removes every occurrence", () => {
    expect(redact(`Bearer ${secret} and ${secret}`)).toBe(`Bearer ${REDACTED} and ${REDACTED}`);
  });
  it("copies an error chain without the secret, keeping name and code", () => {
    const inner = Object.assign(new Error(`socket for ${secret}`), { code: "ECONNRESET" });
    const outer = new TypeError(`fetch ${secret}`, { cause: inner });
    const copy = redactCause(outer, redact) as Error & { cause: Error & { code: string } };
    expect(
      JSON.stringify({ m: copy.message, s: copy.stack, c: copy.cause.message, cs: copy.cause.stack }),
    ).not.toContain(secret);
    expect(copy.name).toBe("TypeError");
    expect(copy.cause.code).toBe("ECONNRESET");
  });
});
