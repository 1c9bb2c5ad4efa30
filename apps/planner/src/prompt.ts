import { createInterface } from "node:readline";

/** Reads one line from `input` (undefined when it ends first). Leaves the stream usable. */
export function readLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    const lines = createInterface({ input, terminal: false });
    let answered = false;
    lines.once("line", (line) => {
      answered = true;
      lines.close();
      resolvePromise(line);
    });
    lines.once("close", () => {
      if (!answered) resolvePromise(undefined);
    });
  });
}
