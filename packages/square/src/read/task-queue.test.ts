import { describe, expect, it } from "vitest";
import { TaskQueue } from "./task-queue.js";

/** A task that ends when `release` is called, recording when it started. */
function gate(log: string[], name: string) {
  let release = (): void => {};
  const ended = new Promise<void>((resolve) => (release = resolve));
  const task = async (): Promise<void> => {
    log.push(name);
    await ended;
  };
  return { task, release: () => release() };
}

describe("TaskQueue", () => {
  it("runs at most `limit` tasks at once, in the order pushed, and drains when all have ended", async () => {
    const log: string[] = [];
    const queue = new TaskQueue(2);
    const gates = ["a", "b", "c"].map((name) => gate(log, name));
    for (const g of gates) queue.push(g.task);
    expect(log).toEqual(["a", "b"]);
    gates[0]?.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(["a", "b", "c"]);
    let drained = false;
    const draining = queue.drain().then(() => (drained = true));
    gates[1]?.release();
    gates[2]?.release();
    await draining;
    expect(drained).toBe(true);
  });

  it("starts nothing after a failure, and drain rejects with it", async () => {
    const log: string[] = [];
    const queue = new TaskQueue(1);
    queue.push(async () => {
      log.push("fails");
      throw new Error("boom");
    });
    queue.push(async () => void log.push("never"));
    await expect(queue.drain()).rejects.toThrow("boom");
    expect(log).toEqual(["fails"]);
  });
});
