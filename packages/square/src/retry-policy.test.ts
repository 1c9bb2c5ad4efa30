import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  resolveRetryOptions,
} from "./retry-policy.js";

describe("backoffDelay", () => {
  const options = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1000 });
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1000],
    [40, 1000],
  ])("attempt %i waits below a ceiling of %i ms (full jitter)", (attempt, ceiling) => {
    expect(backoffDelay(attempt, options, () => 0)).toBe(0);
    expect(backoffDelay(attempt, options, () => 0.999999)).toBe(Math.floor(0.999999 * ceiling));
    expect(backoffDelay(attempt, options, () => 0.5)).toBe(ceiling / 2);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-29T05:00:00Z");
  it.each([
    ["3", 3000],
    [" 0 ", 0],
    ["1.5", 1500],
    ["Sun, 29 Nov 2026 05:00:07 GMT", 7000],
    ["Sun, 29 Nov 2026 04:59:00 GMT", 0],
  ])("reads %j as %i ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(["2", "5"], now)).toBe(2000);
  });
});

describe("what is retried", () => {
  it.each([
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
  ])("status %i -> %s", (status, retried) => {
    expect(isRetryableStatus(status)).toBe(retried);
  });
  it("retries resets and timeouts, also when wrapped, but not unknown errors", () => {
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(
      isRetryableNetworkError(
        new Error("outer", { cause: Object.assign(new Error("x"), { code: "UND_ERR_SOCKET" }) }),
      ),
    ).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { code: "ENOTFOUND" }))).toBe(false);
    expect(isRetryableNetworkError(new TypeError("bug"))).toBe(false);
  });
});
