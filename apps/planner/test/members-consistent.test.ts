import { describe, expect, it } from "vitest";
import { cli, emulator, expected, ids, useMembersAccount } from "./members-account.js";

useMembersAccount();

describe("groupsync members --consistent", () => {
  it("confirms through BulkRetrieve: drops who left or was deleted while search lags, says how many", async () => {
    emulator.store.setSearchLag(600_000);
    try {
      // Search still sees these two in Staff; Retrieve sees the truth.
      emulator.store.setMembership("CSET40", "GC", false);
      emulator.store.deleteCustomer("CSET41");
      emulator.store.updateCustomer("CSET50", { given_name: "Renamed" });
      const staff = expected(["GC"], "all", []);
      expect(await ids(["Staff"])).toEqual(staff);

      const result = await cli(["Staff", "--consistent", "--format", "ndjson"]);
      expect(result.code, result.stderr).toBe(0);
      const listed = result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { id: string; given_name: string });
      expect(listed.map((c) => c.id).sort()).toEqual(
        staff.filter((id) => id !== "CSET40" && id !== "CSET41"),
      );
      expect(listed.find((c) => c.id === "CSET50")?.given_name).toBe("Renamed");
      expect(result.stderr).toContain(
        `Confirmed ${staff.length - 2} profiles with BulkRetrieveCustomers; dropped 2 that search still listed: 1 no longer matching the groups, 1 deleted.`,
      );
      expect(result.stderr).toContain("1 profile changed since search indexed them");
      expect(result.stderr).toMatch(/SearchCustomers 1, BulkRetrieveCustomers 1\)/);
    } finally {
      emulator.store.flushSearch();
      emulator.store.setSearchLag(0);
    }
  });
});
