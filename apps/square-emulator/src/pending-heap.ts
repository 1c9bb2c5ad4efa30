import type { CustomerRecord } from "./customer-record.js";
import type { SquareCustomer } from "./types.js";

/** A change of a profile that search will see at `at` (ties in the order they were made). */
export interface PendingChange {
  at: number;
  seq: number;
  record: CustomerRecord;
  snapshot: SquareCustomer | undefined;
}

/** A binary min-heap of pending changes, earliest first. */
function before(a: PendingChange, b: PendingChange): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function pushHeap(heap: PendingChange[], item: PendingChange): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as PendingChange, heap[parent] as PendingChange)) break;
    [heap[i], heap[parent]] = [heap[parent] as PendingChange, heap[i] as PendingChange];
    i = parent;
  }
}

export function popHeap(heap: PendingChange[]): PendingChange {
  const top = heap[0] as PendingChange;
  const last = heap.pop() as PendingChange;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l] as PendingChange, heap[m] as PendingChange)) m = l;
      if (r < heap.length && before(heap[r] as PendingChange, heap[m] as PendingChange)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m] as PendingChange, heap[i] as PendingChange];
      i = m;
    }
  }
  return top;
}
