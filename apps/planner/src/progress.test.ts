import { describe, expect, it } from "vitest";
import type { Output } from "./io.js";
import { createProgress } from "./progress.js";

function capture(): { output: Output; writes: string[] } {
  const writes: string[] = [];
  return { writes, output: { out: () => {}, err: (text) => void writes.push(text), redact: (t) => t } };
}

describe("progress off a terminal", () => {
  it("writes every line, in order, in few writes; nothing is left after done()", () => {
    const { output, writes } = capture();
    const progress = createProgress(output, { tty: false });
    const lines = Array.from({ length: 2000 }, (_, i) => `member.vip["user${i}@example.com"]: added`);
    progress.quietLine("Applying 2000 actions...");
    for (const line of lines) progress.line(line);
    // 16 KiB batches: the first ones are out before done(), not one write per line.
    expect(writes.length).toBeGreaterThan(0);
    progress.done();
    expect(writes.join("")).toBe(["Applying 2000 actions...", ...lines].map((l) => `${l}\n`).join(""));
    expect(writes.length).toBeLessThan(20);
  });

  it("writes a lone line within 200 ms, without done()", async () => {
    const { output, writes } = capture();
    const progress = createProgress(output, { tty: false });
    progress.line("Reading the live account...");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(writes).toEqual(["Reading the live account...\n"]);
    progress.done();
  });
});

describe("what the command waits for", () => {
  it("on a terminal, follows the bar until cleared", () => {
    const { output, writes } = capture();
    const progress = createProgress(output, { tty: true, now: () => 0 });
    progress.update("groups' members read", 3, 40);
    progress.waiting("waiting for Square (SearchCustomers, 12 s)...");
    expect(writes.at(-1)).toBe(
      "\r\x1b[2K[##----------------------] 3/40 groups' members read · waiting for Square (SearchCustomers, 12 s)...",
    );
    progress.waiting(undefined);
    expect(writes.at(-1)).toBe("\r\x1b[2K[##----------------------] 3/40 groups' members read");
    progress.done();
  });

  it("on a terminal, stands alone before any bar, and goes with done()", () => {
    const { output, writes } = capture();
    const progress = createProgress(output, { tty: true });
    progress.waiting("waiting for Square (ListCustomerGroups, 3 s)...");
    expect(writes).toEqual(["\r\x1b[2Kwaiting for Square (ListCustomerGroups, 3 s)..."]);
    progress.done();
    expect(writes.at(-1)).toBe("\r\x1b[2K");
  });

  it("off a terminal, is a line of the log", () => {
    const { output, writes } = capture();
    const progress = createProgress(output, { tty: false });
    progress.waiting("waiting for Square (ListCustomerGroups, 10 s)...");
    progress.waiting(undefined);
    progress.done();
    expect(writes.join("")).toBe("waiting for Square (ListCustomerGroups, 10 s)...\n");
  });
});
