import { group } from "@groupsync/core/test-support";
import { describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { resolveGroups, UnknownGroupError } from "./resolve-groups.js";

const live = [
  { id: "GSUMMER", name: "Summer Conference 2022" },
  { id: "GVIP", name: "VIP" },
  { id: "GCAFE", name: "Caf\u00e9" },
  { id: "GOLD", name: "Old Name" },
  { id: "GDUP1", name: "Twins" },
  { id: "GDUP2", name: "twins" },
];

const desired = [
  group("summer", { name: "Summer Conference 2022" }),
  group("vip-pinned", { name: "Whatever", id: "GVIP" }),
  group("renamed", { name: "New Name", previously: ["Old Name"] }),
  group("future", { name: "Not Created Yet" }),
  group("gone", { name: "X", id: "GMISSING" }),
];

describe("resolveGroups", () => {
  it.each([
    ["summer", "GSUMMER", "key"],
    ["vip-pinned", "GVIP", "key"],
    ["renamed", "GOLD", "key"],
    ["GVIP", "GVIP", "id"],
    ["  summer conference   2022 ", "GSUMMER", "name"],
    ["vip", "GVIP", "name"],
    ["Cafe\u0301", "GCAFE", "name"],
  ])("%j -> %s (by %s)", (input, id, via) => {
    expect(resolveGroups([input], live, desired)).toEqual([expect.objectContaining({ id, via, input })]);
  });

  it("prefers a key of groups.yaml over a live name", () => {
    const shadow = [group("vip", { name: "Summer Conference 2022" })];
    expect(resolveGroups(["vip"], live, shadow)[0]?.id).toBe("GSUMMER");
  });

  it("reports every unknown group at once, with the keys and groups it knows", () => {
    let error: unknown;
    try {
      resolveGroups(["nope", "vip", "nada"], live, desired);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownGroupError);
    const unknown = error as UnknownGroupError;
    expect(unknown.unknown).toEqual(["nope", "nada"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.message).toContain('"nope", "nada"');
    expect(unknown.hint).toContain("Keys in groups.yaml: summer, vip-pinned, renamed, future, gone.");
    expect(unknown.hint).toContain('"VIP" (GVIP)');
  });

  it("says when Square has no groups", () => {
    expect(() => resolveGroups(["x"], [])).toThrow(
      expect.objectContaining({ hint: "Square has no customer groups." }),
    );
  });

  it("caps a long list of known groups", () => {
    const many = Array.from({ length: 45 }, (_, i) => ({ id: `G${i}`, name: `Group ${i}` }));
    expect(() => resolveGroups(["x"], many)).toThrow(
      expect.objectContaining({ hint: expect.stringContaining("and 15 more") }),
    );
  });

  it.each([
    ["twins", /2 groups in Square are named "twins": GDUP1, GDUP2/],
    ["future", /Square has no group named "Not Created Yet"/],
    ["gone", /pins "gone" to the group ID GMISSING/],
  ])("refuses %j", (input, message) => {
    expect(() => resolveGroups([input], live, desired)).toThrow(CliError);
    expect(() => resolveGroups([input], live, desired)).toThrow(message);
  });
});
