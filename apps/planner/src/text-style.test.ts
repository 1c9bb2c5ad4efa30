import { describe, expect, it } from "vitest";
import { padToWidth, truncateToWidth } from "@groupsync/core";
import { colorEnabled, createTextStyle } from "./text-style.js";

describe("colorEnabled", () => {
  it.each([
    // flag, env, isTTY, colours
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    [false, {}, true, false],
    [true, {}, false, false],
    [undefined, { NO_COLOR: "1" }, true, false],
    [undefined, { NO_COLOR: "" }, true, true],
    [undefined, { FORCE_COLOR: "1" }, false, true],
    [undefined, { FORCE_COLOR: "" }, false, true],
    [undefined, { FORCE_COLOR: "3" }, false, true],
    [undefined, { FORCE_COLOR: "0" }, true, false],
    [undefined, { FORCE_COLOR: "false" }, true, false],
    [undefined, { FORCE_COLOR: "1", NO_COLOR: "1" }, false, true],
    [false, { FORCE_COLOR: "1" }, true, false],
  ] as const)("--color %s, env %j, TTY %s: %s", (flag, env, isTTY, expected) => {
    expect(colorEnabled({ flag, env, isTTY })).toBe(expected);
  });
});

describe("createTextStyle", () => {
  it("writes ANSI codes only when colours are on, whatever process.stdout is", () => {
    expect(createTextStyle(true).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(createTextStyle(true).bold("x")).toBe("\u001b[1mx\u001b[22m");
    expect(createTextStyle(false).red("x")).toBe("x");
  });

  it.each([
    ["ada", 3],
    ["山田太郎", 8],
    ["😀", 2],
    ["👩‍👩‍👧", 2],
    ["Cafe\u0301", 4],
    ["한국어", 6],
  ])("measures %j as %i columns, coloured or not", (text, columns) => {
    expect(createTextStyle(false).width(text)).toBe(columns);
    expect(createTextStyle(true).width(text)).toBe(columns);
  });

  it("aligns and cuts by display width with core's column helpers", () => {
    const style = createTextStyle(false);
    expect(padToWidth("山田", 6, style)).toBe("山田  ");
    expect(truncateToWidth("👩‍👩‍👧 family", 5, style)).toBe("👩‍👩‍👧 f…");
  });
});
