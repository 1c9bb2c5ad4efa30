import { describe, expect, it } from "vitest";
import { runDemo } from "../src/demo.js";

/**
 * The parts of the transcript that differ between runs: the emulator's port, durations, IDs
 * the emulator generates, and the order in which concurrent actions complete. The API-call
 * breakdown is masked too: it is @groupsync/square's reading strategy, tested there against
 * the cost floor; here only the presence of the report is checked.
 */
export function maskTranscript(text: string): string {
  const masked = text
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, "http://127.0.0.1:PORT")
    .replace(/^API calls: \d+( \(.*\))?(; .*)? in \d+\.\d+ s\.$/gm, "API calls: <calls> in X.XX s.")
    .replace(/\b[0-9A-Z]{26}\b/g, "<ID>");
  const lines = masked.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    if (!isActionLine(lines[i] ?? "")) {
      out.push(lines[i] ?? "");
      i += 1;
      continue;
    }
    const run: string[] = [];
    while (i < lines.length && isActionLine(lines[i] ?? "")) run.push(lines[i++] ?? "");
    out.push(...run.sort());
  }
  return out.join("\n");
}

function isActionLine(line: string): boolean {
  return /^ {2}[✓✗-] \S/.test(line);
}

describe("pnpm demo", () => {
  it("plans, applies and plans again (No changes.) as the committed transcript shows", async () => {
    let transcript = "";
    const code = await runDemo({ write: (text) => (transcript += text) });
    expect(code).toBe(0);
    expect(transcript).toMatch(/\$ groupsync plan\n[\s\S]*No changes\.\n[^\n]*\n$/);
    await expect(maskTranscript(transcript)).toMatchFileSnapshot("fixtures/demo.transcript.txt");
  });
});
