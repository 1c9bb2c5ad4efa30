import { describe, expect, it } from "vitest";
import type { FieldValue } from "./fields.js";
import { createFormatter, type MemberFormat } from "./formats.js";
import { createTextStyle } from "../text-style.js";

const fields = ["id", "given_name", "group_ids"] as const;
const rows: FieldValue[][] = [
  ["C1", 'Ada "The", Countess', ["G1"]],
  ["C2", "Line\nBreak", []],
  ["C3", null, ["G1", "G2"]],
];

function render(format: MemberFormat, pages: FieldValue[][][]): string {
  const formatter = createFormatter(format, fields, { style: createTextStyle(false) });
  return formatter.begin() + pages.map((page) => formatter.page(page)).join("") + formatter.finish();
}

describe("createFormatter", () => {
  it.each([[[]], [[rows]], [[rows.slice(0, 1), [], rows.slice(1)]]])(
    "json is one valid array however the rows come in pages (%#)",
    (pages) => {
      const expected = pages
        .flat()
        .map(([id, given, groups]) => ({ id, given_name: given, group_ids: groups }));
      expect(JSON.parse(render("json", pages))).toEqual(expected);
    },
  );

  it("ndjson is one object a line, newlines inside strings escaped", () => {
    const lines = render("ndjson", [rows]).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toBe("");
    expect(JSON.parse(lines[1] ?? "")).toEqual({ id: "C2", given_name: "Line\nBreak", group_ids: [] });
  });

  it("csv starts with the header even with no rows", () => {
    expect(render("csv", [])).toBe("id,given_name,group_ids\r\n");
  });

  it("table aligns on the first page, keeps rows on one line, and cuts long values later", () => {
    const long = "x".repeat(60);
    expect(render("table", [rows, [["C4", long, []]]])).toMatchInlineSnapshot(`
      "id  given_name           group_ids
      --  -------------------  ---------
      C1  Ada "The", Countess  G1
      C2  Line\\nBreak
      C3                       G1;G2
      C4  xxxxxxxxxxxxxxxxxx…
      "
    `);
  });

  it("table counts wide characters as two columns and combining marks as none", () => {
    const text = render("table", [
      [
        ["C1", "漢字", []],
        ["C2", "Cafe\u0301 😀", []],
      ],
    ]);
    const lines = text.split("\n");
    expect(lines.slice(2, 4).map((line) => line.indexOf("C") === 0 && line)).toEqual([
      "C1  漢字",
      "C2  Cafe\u0301 😀",
    ]);
    const long = render("table", [[["C1", "ab", []]], [["C2", "漢字漢字漢字", []]]]);
    expect(long).toContain("C2  漢字漢字…\n");
  });

  it("table shows escape sequences harmlessly", () => {
    expect(render("table", [[["C1", "\u001b[31mred", []]]])).not.toContain("\u001b");
  });
});
