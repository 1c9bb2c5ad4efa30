import { describe, expect, it } from "vitest";
import { createOutput, createRedactor } from "./io.js";
import { PassThrough } from "node:stream";

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

describe("createOutput", () => {
  it("redacts SQUARE_ACCESS_TOKEN from both streams", () => {
    let out = "";
    let err = "";
    const output = createOutput({
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      stdin: new PassThrough(),
      env: { SQUARE_ACCESS_TOKEN: "sentinel-token-42" },
      cwd: "/",
    });
    output.out("token=sentinel-token-42\n");
    output.err("Bearer sentinel-token-42\n");
    expect(out).toBe("token=[REDACTED]\n");
    expect(err).toBe("Bearer [REDACTED]\n");
  });
});
