import { describe, expect, it } from "vitest";
import { desired, domain, email, group, live, liveGroup, phone, profile } from "../test/support/builders.js";
import { diff } from "./diff.js";
import { renderText } from "./render-text.js";
import { PLAIN_STYLE } from "./text-style.js";

const state = live(
  [liveGroup("G1", "Summer Conf 22"), liveGroup("G2", "VIP"), liveGroup("G9", "Old")],
  [
    profile("C1", { emailAddress: "ada@example.com", createdAt: "2020-01-01T00:00:00Z" }),
    profile("C2", { emailAddress: "ADA@example.com", createdAt: "2021-01-01T00:00:00Z" }),
    profile("C3", {
      emailAddress: "bob@example.org",
      givenName: "Bob",
      familyName: "Smith",
      groupIds: ["G2"],
    }),
    profile("C4", { emailAddress: "eve@example.org" }),
    profile("C5", { phoneNumber: "+1 415 555 0100", groupIds: ["G2"] }),
    profile("C6", { emailAddress: "zed@example.net", givenName: "Zed", groupIds: ["G1"] }),
  ],
);
const config = desired(
  [
    group("summer-conf-2022", {
      name: "Summer Conference 2022",
      previously: ["Summer Conf 22"],
      rules: [email("ada@example.com"), email("nobody@example.com")],
    }),
    group("vip", { name: "VIP", rules: [domain("example.org"), phone("+14155550100")] }),
    group("speakers", { name: "Speakers", missing: "create", rules: [email("grace@example.com")] }),
  ],
  { unmanagedGroups: "delete" },
);

// The CLI's flags, as it passes them: core names none of its own.
const overrides = { massRemoval: "--allow-mass-removal", delete: "--allow-delete" };

describe("renderText", () => {
  it("renders a Terraform-like plan", () => {
    expect(renderText(diff(config, state), { overrides })).toMatchInlineSnapshot(`
      "groupsync will perform the following actions:

        # group.summer-conf-2022 will be updated in place
        ~ group.summer-conf-2022 "Summer Conference 2022" (G1)
            ~ name: "Summer Conf 22" -> "Summer Conference 2022"
            + ada@example.com             ambiguous (2 profiles)
              nobody@example.com          not found, skipped
            - Zed <zed@example.net> [C6]  no rule matches

        # group.vip will be updated in place
        ~ group.vip "VIP" (G2)
            + eve@example.org [C4]  matched by @example.org

        # group.speakers will be created
        + group.speakers "Speakers"
            + grace@example.com  not found: the profile will be created

        # group["G9"] will be deleted (not in groups.yaml, unmanaged_groups: delete)
        - group["G9"] "Old" (0 members)

      Warnings:
        ! group "summer-conf-2022": 2 profiles share ada@example.com; the oldest one counts
        ! group "summer-conf-2022": no customer profile matches nobody@example.com; skipped

      Safety:
        ! deletes 1 group (0 members) (needs --allow-delete)

      Plan: 1 to create, 1 to rename, 3 to add, 1 to remove, 1 to delete, 1 profile to create.
      "
    `);
  });

  it("masks identities not in the file with redact", () => {
    const text = renderText(diff(config, state), { redact: true });
    expect(text).toContain("z***@e***.net [C6]");
    expect(text).not.toContain("zed@");
    expect(text).not.toContain("Zed");
  });

  it("says No changes. for a plan without actions, and colors only on request", () => {
    const plan = diff(
      desired([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]),
      live([liveGroup("G2", "VIP")], [profile("C1", { emailAddress: "ada@example.com", groupIds: ["G2"] })]),
    );
    expect(renderText(plan)).toBe("No changes.\n");
    expect(renderText(plan, { style: { ...PLAIN_STYLE, bold: (t) => `<b>${t}</b>` } })).toBe(
      "<b>No changes.</b>\n",
    );
    expect(renderText(diff(config, state))).not.toContain("\u001b[");
  });

  it("aligns the notes by display width with the style's measure", () => {
    // Two columns for each CJK character, as the CLI's string-width counts them.
    const style = {
      ...PLAIN_STYLE,
      width: (t: string) => t.length + (t.match(/[\u4e00-\u9fff]/g) ?? []).length,
    };
    const plan = diff(
      desired([group("vip", { name: "VIP", rules: [email("ada@example.com")] })]),
      live(
        [liveGroup("G2", "VIP")],
        [
          profile("C1", { emailAddress: "ada@example.com" }),
          profile("C2", { givenName: "山田", familyName: "太郎", groupIds: ["G2"] }),
        ],
      ),
    );
    expect(renderText(plan, { style })).toContain(
      ["      + ada@example.com  matched", "      - 山田 太郎 [C2]   no rule matches"].join("\n"),
    );
  });

  it("explains mass removals with the thresholds", () => {
    const members = Array.from({ length: 12 }, (_, i) => profile(`M${i}`, { groupIds: ["G2"] }));
    const text = (entry: Parameters<typeof desired>[0][number]): string =>
      renderText(diff(desired([entry]), live([liveGroup("G2", "VIP")], members)), { overrides });
    expect(text(group("vip", { name: "VIP" }))).toContain(
      '! group "vip" is authoritative and has no rules: it would lose every member (12) (needs --allow-mass-removal)',
    );
    expect(text(group("vip", { name: "VIP", rules: [email("nobody@example.com")] }))).toContain(
      '! group "vip": removes 12 of 12 members (more than 25% and more than 10) (needs --allow-mass-removal)',
    );
  });

  it("names no flag of its own: without overrides a guard needs an explicit override", () => {
    const text = renderText(diff(config, state));
    expect(text).toMatch(/! deletes 1 group \(0 members\) \(needs an explicit override\)\n/);
    expect(text).not.toContain("--");
  });

  it("lists errors and says nothing can be applied", () => {
    const plan = diff(desired([group("vip", { id: "NOPE" })]), live([]));
    expect(renderText(plan)).toMatchInlineSnapshot(`
      "Error: group "vip" is pinned to id NOPE, but the account has no group with that ID
        hint: fix or remove \`id:\` (without it the group is matched by name, or created)

      The plan has 1 error; nothing can be applied.
      "
    `);
  });

  it("renders a group with 200,000 removals (no argument-spreading limits)", () => {
    const profiles = Array.from({ length: 200_000 }, (_, i) => profile(`C${i}`, { groupIds: ["G2"] }));
    const plan = diff(desired([group("vip", { name: "VIP" })]), live([liveGroup("G2", "VIP")], profiles));
    const text = renderText(plan);
    expect(text.split("\n").length).toBeGreaterThan(200_000);
    expect(text).toContain("Plan: 0 to create, 0 to rename, 0 to add, 200000 to remove.");
  });
});
