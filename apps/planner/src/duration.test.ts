import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["10s", 10_000],
    ["1.5s", 1_500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    [" 30S ", 30_000],
    ["0s", 0],
    ["90m", 90 * 60_000],
    ["12h", 12 * 3_600_000],
    ["7d", 7 * 86_400_000],
    ["1h30m", 90 * 60_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "30", "0", "ten seconds", "10 s", "-5s", "5x", "s", "1.s", "10s5", "1w", "1h 30m", "0m0"])(
    "%j is not a duration",
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
