import { createInterface } from "node:readline";

/**
 * Reads one line from `input` (undefined when it ends first, or when `signal` aborts). Leaves
 * the stream usable.
 */
export function readLine(input: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    const lines = createInterface({ input, terminal: false });
    let answered = false;
    const stop = () => lines.close();
    lines.once("line", (line) => {
      answered = true;
      lines.close();
      resolvePromise(line);
    });
    lines.once("close", () => {
      signal?.removeEventListener("abort", stop);
      if (!answered) resolvePromise(undefined);
    });
    if (signal?.aborted === true) stop();
    else signal?.addEventListener("abort", stop, { once: true });
  });
}
