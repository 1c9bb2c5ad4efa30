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

describe("createRedactor", () => {
  it("replaces every occurrence of the token", () => {
    const redact = createRedactor(["EAAAsecret123"]);
    expect(redact("a EAAAsecret123 b EAAAsecret123")).toBe("a [REDACTED] b [REDACTED]");
  });

  it("redacts a token given with a trailing newline", () => {
    expect(createRedactor(["EAAAsecret123\n"])("Bearer EAAAsecret123")).toBe("Bearer [REDACTED]");
  });

  it.each([[undefined], [""], ["   "], ["abc"]])(
    "leaves text alone for a missing or too short token %j",
    (token) => {
      expect(createRedactor([token])("abc def")).toBe("abc def");
    },
  );
});
