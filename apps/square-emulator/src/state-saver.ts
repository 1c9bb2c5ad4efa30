import { writeStateFile } from "./state-file.js";
import type { SeedData } from "./types.js";

/** Saves of the state file, coalesced: at most one write in flight and one more queued. */
export interface StateSaver {
  /** Asks for a save soon (changes within 50 ms share one write); no-op without a file. */
  schedule(): void;
  /** Writes what is pending now, and waits for any write in flight. */
  flush(): Promise<void>;
}

export function createStateSaver(stateFile: string | undefined, snapshot: () => SeedData): StateSaver {
  let saving: Promise<void> | undefined;
  let queued = false;
  let timer: NodeJS.Timeout | undefined;

  const save = async (): Promise<void> => {
    if (stateFile === undefined) return;
    if (saving) {
      queued = true;
      return saving;
    }
    saving = writeStateFile(stateFile, snapshot()).finally(() => {
      saving = undefined;
    });
    await saving;
    if (queued) {
      queued = false;
      await save();
    }
  };

  return {
    schedule() {
      if (stateFile === undefined || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        save().catch((error: unknown) => {
          process.stderr.write(`square-emulator: cannot write the state file: ${(error as Error).message}\n`);
        });
      }, 50);
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        await save();
      } else if (saving) await saving;
    },
  };
}
