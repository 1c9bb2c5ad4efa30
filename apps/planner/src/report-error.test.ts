import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CliError } from "./errors.js";
import { createOutput } from "./io.js";
import { reportError } from "./report-error.js";

function capture(env: Record<string, string> = {}) {
  let err = "";
  const output = createOutput({
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
    stdin: new PassThrough(),
    env,
    cwd: "/",
  });
  return { output, err: () => err };
}

describe("reportError", () => {
  it("prints a CliError's details, message and hint, exit 1, no stack", () => {
    const { output, err } = capture();
    const code = reportError(
      new CliError("GS_CLI_PLAN_STALE", "plan.json is stale.", {
        details: "  - group vip renamed",
        hint: "Plan again.",
      }),
      output,
      false,
    );
    expect(code).toBe(1);
    expect(err()).toBe("  - group vip renamed\nError: plan.json is stale.\nHint: Plan again.\n");
  });

  it("maps a @groupsync/square error by its code, with a default hint", () => {
    const { output, err } = capture();
    const error = Object.assign(new Error("ListCustomerGroups failed with 401 UNAUTHORIZED"), {
      code: "GS_SQUARE_UNAUTHORIZED",
    });
    expect(reportError(error, output, false)).toBe(1);
    expect(err()).toContain(
      "Error: ListCustomerGroups failed with 401 UNAUTHORIZED\nHint: Check SQUARE_ACCESS_TOKEN",
    );
  });

  it.each([
    ["GS_SQUARE_RATE_LIMITED", "lower --concurrency"],
    ["GS_SQUARE_NETWORK_ERROR", "SQUARE_ENVIRONMENT / SQUARE_BASE_URL"],
    ["GS_SQUARE_INVALID_RESPONSE", "SQUARE_BASE_URL"],
  ])("puts its own hint, naming its flags and variables, over the library's for %s", (code, words) => {
    const { output, err } = capture();
    const error = Object.assign(new Error("failed"), { code, hint: "The library's neutral hint." });
    reportError(error, output, false);
    expect(err()).toContain(words);
    expect(err()).not.toContain("neutral");
  });

  it("keeps the library's hint where the CLI has none of its own", () => {
    const { output, err } = capture();
    const error = Object.assign(new Error("failed"), {
      code: "GS_SQUARE_FORBIDDEN",
      hint: "Grant CUSTOMERS_WRITE.",
    });
    reportError(error, output, false);
    expect(err()).toBe("Error: failed\nHint: Grant CUSTOMERS_WRITE.\n");
  });

  it("calls anything else a bug, and shows the stack only with --debug", () => {
    const quiet = capture();
    expect(reportError(new TypeError("x is undefined"), quiet.output, false)).toBe(1);
    expect(quiet.err()).toContain("This is a bug in groupsync.");
    expect(quiet.err()).toContain("TypeError: x is undefined");
    expect(quiet.err()).not.toMatch(/\n\s+at /);
    const debug = capture();
    reportError(new TypeError("x is undefined"), debug.output, true);
    expect(debug.err()).toMatch(/\n\s+at /);
  });

  it("never prints the token, even inside an unexpected error", () => {
    const { output, err } = capture({ SQUARE_ACCESS_TOKEN: "EAAA-sentinel-token" });
    reportError(new Error("request with Bearer EAAA-sentinel-token failed"), output, true);
    expect(err()).not.toContain("EAAA-sentinel-token");
    expect(err()).toContain("Bearer [REDACTED]");
  });
});
