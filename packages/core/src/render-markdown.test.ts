import { describe, expect, it } from "vitest";
import { desired, email, group, live, liveGroup, profile } from "../test/support/builders.js";
import { diff } from "./diff.js";
import { renderMarkdown } from "./render-markdown.js";

const state = live(
  [liveGroup("G1", "VIP")],
  [
    profile("C1", { emailAddress: "ada@example.com" }),
    profile("C2", { emailAddress: "zed@example.net", givenName: "Zed", groupIds: ["G1"] }),
  ],
);
const config = desired([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]);

describe("renderMarkdown", () => {
  it("puts the summary first, the details in <details>, and masks identities not in the file", () => {
    expect(renderMarkdown(diff(config, state))).toMatchInlineSnapshot(`
      "**Plan: 0 to create, 0 to rename, 1 to add, 1 to remove.**

      <details><summary>Details: 2 actions</summary>

      \`\`\`diff
      groupsync will perform the following actions:

        # group.vip will be updated in place
      ~   group.vip "VIP" (G1)
      +       ada@example.com     matched
      -       z***@e***.net [C2]  no rule matches

      Plan: 0 to create, 0 to rename, 1 to add, 1 to remove.
      \`\`\`

      </details>
      "
    `);
  });

  it("shows identities with redact: false", () => {
    const md = renderMarkdown(diff(config, state), { redact: false });
    expect(md).toContain("Zed <zed@example.net> [C2]");
  });

  it("says No changes. alone when there is nothing to say", () => {
    const plan = diff(
      config,
      live([liveGroup("G1", "VIP")], [profile("C1", { emailAddress: "ada@example.com", groupIds: ["G1"] })]),
    );
    expect(renderMarkdown(plan)).toBe("**No changes.**\n");
  });

  it("stays under GitHub's 65,535-character limit, with a truncation note", () => {
    const profiles = Array.from({ length: 5000 }, (_, i) =>
      profile(`CUSTOMER${String(i).padStart(6, "0")}`, {
        emailAddress: `person${i}@example.net`,
        groupIds: ["G1"],
      }),
    );
    const plan = diff(config, live([liveGroup("G1", "VIP")], profiles));
    expect(plan.summary.remove).toBe(5000);
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(65_535);
    expect(md.split("\n")[0]).toBe("**Plan: 0 to create, 0 to rename, 0 to add, 5000 to remove.**");
    expect(md).toMatch(/\.\.\. \d+ more lines not shown: the comment would exceed 65535 characters\./);
    expect(md.trimEnd().endsWith("</details>")).toBe(true);
    expect(renderMarkdown(plan, { maxLength: 2000 }).length).toBeLessThanOrEqual(2000);
  });

  it("uses a longer fence when a name holds backticks", () => {
    const plan = diff(desired([group("x", { name: "a ``` b" })]), live([]));
    expect(renderMarkdown(plan)).toContain("````diff");
  });
});
