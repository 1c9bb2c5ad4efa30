import { describe, expect, it } from "vitest";
import { withPlainEnv } from "./with-plain-env.js";

describe("withPlainEnv", () => {
  it("runs with a plain copy of the environment and puts the real one back", () => {
    const real = process.env;
    const seen = withPlainEnv(() => ({ env: process.env, path: process.env["PATH"] }));
    expect(seen.env).not.toBe(real);
    expect(seen.path).toBe(real["PATH"]);
    expect(process.env).toBe(real);
  });

  it("puts the real environment back when the function throws", () => {
    const real = process.env;
    expect(() =>
      withPlainEnv(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(process.env).toBe(real);
  });

  it("runs with the real environment when it cannot be replaced", () => {
    const descriptor = Object.getOwnPropertyDescriptor(process, "env")!;
    const real = process.env;
    Object.defineProperty(process, "env", { ...descriptor, writable: false });
    try {
      expect(withPlainEnv(() => process.env)).toBe(real);
    } finally {
      Object.defineProperty(process, "env", descriptor);
    }
    expect(process.env).toBe(real);
  });
});
