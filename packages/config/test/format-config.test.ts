import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatConfig, parseConfig } from "../src/index.js";
import { yaml } from "./helpers.js";

function fmt(text: string): string {
  const result = formatConfig(text);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.text;
}

const messy = yaml`
  # header comment

  groups:
    vip:
      members:   # who
        - {email: 'ada@example.com'}
        - phone: +14155550100
        # bob below
        - email: "bob@example.com"
        - customer_id: '12345'
      previously:
        - 'Old VIP'
        - "Older: VIP"
      name: 'VIP'   # shown in the Dashboard
      match: all
    summer:
      {name: "Summer", previously: [a, b], members: [{email: x@y.com}]}
  defaults: {missing: skip, country: 'US'}
  version: 1
  unmanaged_groups: "ignore"
`;

describe("formatConfig (groupsync fmt)", () => {
  it("orders keys canonically, quotes canonically, keeps comments", () => {
    expect(fmt(messy)).toBe(yaml`
      # header comment

      version: 1
      defaults:
        country: US
        missing: skip
      unmanaged_groups: ignore
      groups:
        vip:
          name: VIP # shown in the Dashboard
          previously: [Old VIP, "Older: VIP"]
          match: all
          members:
            # who
            - email: ada@example.com
            - phone: "+14155550100"
            # bob below
            - email: bob@example.com
            - customer_id: "12345"
        summer:
          name: Summer
          previously: [a, b]
          members:
            - email: x@y.com
    `);
  });

  it("is idempotent", () => {
    const once = fmt(messy);
    expect(fmt(once)).toBe(once);
  });

  it("changes no meaning: the formatted file parses to the same desired state", () => {
    const before = parseConfig(messy);
    const after = parseConfig(fmt(messy));
    expect(before.ok && after.ok).toBe(true);
    expect(after.ok && after.desired).toEqual(before.ok && before.desired);
  });

  it("keeps phone numbers exactly as written, as quoted text", () => {
    const text = "version: 1\ngroups:\n  a:\n    name: A\n    members:\n      - phone: 02079460958\n";
    expect(fmt(text)).toContain('- phone: "02079460958"\n');
  });

  it("leaves the root groups.yaml as it is (it is canonical)", () => {
    const root = readFileSync(new URL("../../../groups.yaml", import.meta.url), "utf8");
    expect(fmt(root)).toBe(root);
  });

  it("removes a BOM", () => {
    expect(fmt("\uFEFFversion: 1\ngroups: {}\n")).toBe("version: 1\ngroups: {}\n");
  });

  it("formats a file with schema problems (validate reports them), but not broken YAML", () => {
    expect(fmt("groups:\n  VIP: {colour: blue}\nversion: 7\n")).toBe(
      "version: 7\ngroups:\n  VIP:\n    colour: blue\n",
    );
    const broken = formatConfig('version: 1\ngroups:\n  vip:\n    name: "VIP\n', { file: "g.yaml" });
    expect(broken).toMatchObject({
      ok: false,
      problems: [{ code: "GS_CONFIG_YAML_SYNTAX", file: "g.yaml", line: 5, col: 1 }],
    });
  });
});
