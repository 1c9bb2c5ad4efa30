import { describe, expect, it } from "vitest";
import { addWithKey, recordsWithKey, removeWithKey, type KeyIndex } from "./key-index.js";

type R = { id: string; createdMs: number };
const r = (id: string, createdMs: number): R => ({ id, createdMs });

describe("KeyIndex", () => {
  it("keeps one record as it is, several in created order, and goes back to one", () => {
    const index: KeyIndex<R> = new Map();
    const [a, b, c] = [r("A", 2), r("B", 1), r("C", 3)];
    addWithKey(index, "k", a, false);
    expect(index.get("k")).toBe(a);
    expect(recordsWithKey(index, "k")).toEqual([a]);
    addWithKey(index, "k", a, false);
    expect(index.get("k")).toBe(a);
    addWithKey(index, "k", c, false);
    addWithKey(index, "k", b, false);
    expect(recordsWithKey(index, "k")).toEqual([b, a, c]);
    removeWithKey(index, "k", a);
    removeWithKey(index, "k", r("A", 2));
    expect(recordsWithKey(index, "k")).toEqual([b, c]);
    removeWithKey(index, "k", b);
    expect(index.get("k")).toBe(c);
    removeWithKey(index, "k", b);
    expect(index.get("k")).toBe(c);
    removeWithKey(index, "k", c);
    expect(index.has("k")).toBe(false);
    expect(recordsWithKey(index, "k")).toEqual([]);
  });

  it("appends in a bulk load (records come in created order)", () => {
    const index: KeyIndex<R> = new Map();
    const list = [r("A", 1), r("B", 1), r("C", 2)];
    for (const x of list) addWithKey(index, "k", x, true);
    expect(recordsWithKey(index, "k")).toEqual(list);
    addWithKey(index, "other", r("D", 0), true);
    expect(recordsWithKey(index, "other")).toEqual([r("D", 0)]);
  });
});
