import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["0", 0],
    ["90m", 90 * 60_000],
    ["12h", 12 * 3_600_000],
    ["7d", 7 * 86_400_000],
    ["1h30m", 90 * 60_000],
    ["45s", 45_000],
    [" 24h ", 24 * 3_600_000],
  ])("%s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "5", "1.5h", "-1h", "1w", "h", "1h 30m", "24H", "0m0", "99999999999999999999d"])(
    "refuses %j",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [12_400, "12s"],
    [40 * 60_000, "40m"],
    [5 * 3_600_000 + 12 * 60_000 + 5_000, "5h 12m"],
    [2 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000, "2d 3h"],
    [2 * 86_400_000 + 5 * 60_000, "2d"],
    [25 * 3_600_000, "1d 1h"],
  ])("%d ms", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
