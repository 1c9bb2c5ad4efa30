import { describe, expect, it } from "vitest";
import { createOutput } from "./io.js";
import { PassThrough } from "node:stream";

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
