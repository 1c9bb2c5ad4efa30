/**
 * Runs tasks as they are pushed, at most `limit` at once, in the order pushed. The first failure
 * stops it (nothing more starts) and is what `drain` rejects with; a failure is never unhandled.
 */
export class TaskQueue {
  readonly #limit: number;
  readonly #waiting: Array<() => Promise<void>> = [];
  #running = 0;
  #failure: { readonly error: unknown } | undefined;
  #stopped = false;
  #onIdle: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(task: () => Promise<void>): void {
    this.#waiting.push(task);
    this.#startNext();
  }

  /** Starts nothing more (what runs ends on its own). */
  stop(): void {
    this.#stopped = true;
    this.#waiting.length = 0;
  }

  /** Waits until every task pushed has ended; rejects with the first failure. */
  async drain(): Promise<void> {
    while (this.#running > 0) await new Promise<void>((resolve) => this.#onIdle.push(resolve));
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  #startNext(): void {
    while (!this.#stopped && this.#running < this.#limit) {
      const task = this.#waiting.shift();
      if (task === undefined) return;
      this.#running++;
      task().then(
        () => this.#ended(),
        (error: unknown) => {
          this.#failure ??= { error };
          this.stop();
          this.#ended();
        },
      );
    }
  }

  #ended(): void {
    this.#running--;
    this.#startNext();
    if (this.#running > 0) return;
    const waiting = this.#onIdle;
    this.#onIdle = [];
    for (const resolve of waiting) resolve();
  }
}
