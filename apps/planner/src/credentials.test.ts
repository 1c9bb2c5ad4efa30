import { describe, expect, it } from "vitest";
import { readTarget } from "./credentials.js";
import { CliError } from "./errors.js";

describe("readTarget", () => {
  it("defaults to production", () => {
    expect(readTarget({ SQUARE_ACCESS_TOKEN: "t0ken" })).toEqual({
      token: "t0ken",
      environment: "production",
      endpoint: "https://connect.squareup.com",
    });
  });

  it("takes sandbox, and SQUARE_BASE_URL over SQUARE_ENVIRONMENT", () => {
    expect(readTarget({ SQUARE_ACCESS_TOKEN: "t", SQUARE_ENVIRONMENT: "Sandbox" }).endpoint).toBe(
      "https://connect.squareupsandbox.com",
    );
    expect(
      readTarget({
        SQUARE_ACCESS_TOKEN: "t",
        SQUARE_ENVIRONMENT: "sandbox",
        SQUARE_BASE_URL: "http://127.0.0.1:4010/",
      }),
    ).toEqual({ token: "t", baseUrl: "http://127.0.0.1:4010", endpoint: "http://127.0.0.1:4010" });
  });

  it.each([
    [{}, "GS_CLI_CREDENTIALS_MISSING", "SQUARE_ACCESS_TOKEN is not set."],
    [{ SQUARE_ACCESS_TOKEN: "t", SQUARE_ENVIRONMENT: "staging" }, "GS_CLI_CREDENTIALS_INVALID", '"staging"'],
    [{ SQUARE_ACCESS_TOKEN: "t", SQUARE_BASE_URL: "not a url" }, "GS_CLI_CREDENTIALS_INVALID", "not a URL"],
    [{ SQUARE_ACCESS_TOKEN: "t", SQUARE_BASE_URL: "ftp://x" }, "GS_CLI_CREDENTIALS_INVALID", "http(s)"],
    [
      { SQUARE_ACCESS_TOKEN: "t", SQUARE_BASE_URL: "http://example.com" },
      "GS_CLI_CREDENTIALS_INVALID",
      "plain http",
    ],
    [
      { SQUARE_ACCESS_TOKEN: "t", SQUARE_BASE_URL: "https://user:secret@example.com" },
      "GS_CLI_CREDENTIALS_INVALID",
      "must not carry credentials",
    ],
  ])("refuses %j", (env, code, text) => {
    let error: unknown;
    try {
      readTarget(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe(code);
    expect((error as CliError).message).toContain(text);
    expect((error as CliError).message).not.toContain("secret");
  });

  it("hints with the variables to set", () => {
    expect(() => readTarget({ SQUARE_ACCESS_TOKEN: "t", SQUARE_BASE_URL: "nope" })).toThrowError(
      expect.objectContaining({ hint: expect.stringContaining("SQUARE_BASE_URL=") as unknown }),
    );
    expect(() => readTarget({ SQUARE_ACCESS_TOKEN: "t", SQUARE_BASE_URL: "http://10.0.0.1" })).toThrowError(
      expect.objectContaining({ hint: expect.stringContaining("loopback") as unknown }),
    );
  });
});
