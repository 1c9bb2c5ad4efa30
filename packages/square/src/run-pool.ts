/**
 * Runs `fn` over `items` with at most `limit` running at once, in order of `items`. Keeps the
 * number of pending promises bounded (200,000 look-ups must not become 200,000 promises all
 * waiting on the client's limiter). Rejects with the first error, after starting no new item.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
