import type { SquareClient, SquareCustomer, SquareCustomerFilter } from "@groupsync/square";

/** One page of the export, in created_at order. */
export interface ExportPage {
  readonly customers: readonly SquareCustomer[];
  /** How many profiles match in all (on the first page only, from Square's `count`). */
  readonly count?: number;
}

/** How a long export is cut into `created_at` slices fetched side by side. */
export interface SliceOptions {
  /** Slices in flight at once [4]; 1 turns slicing off. */
  readonly parallel?: number;
  /** Pages a slice should hold (by the average density) [10]: each slice costs about one extra call. */
  readonly slicePages?: number;
  /** Pages a slice not yet being written may hold ahead [slicePages]: the memory bound. */
  readonly aheadPages?: number;
}

const PAGE = 100;

type SearchResponse = { customers?: SquareCustomer[]; cursor?: string; count?: number };

/**
 * Every profile matching `filter`, page by page, oldest first, in memory bounded by
 * `parallel × aheadPages` pages whatever the size of the result.
 *
 * The first page asks for `count`. A short result then continues through its cursor, the
 * next page requested while the caller writes the current one. A long one (DESIGN.md §7) is
 * cut into `created_at` slices of about `slicePages` pages: up to `parallel` slices are
 * fetched at once, each through its own cursor, and handed over in time order, so the output
 * keeps created_at order. A slice asks Square for `[start - 1 ms, end]` and keeps exactly
 * `start <= created_at < end` itself: whether Square's range ends are inclusive (undocumented)
 * does not matter, and no profile is lost or doubled at a boundary.
 */
export async function* exportPages(
  client: SquareClient,
  filter: SquareCustomerFilter,
  options: SliceOptions = {},
): AsyncGenerator<ExportPage> {
  const search = (body: Record<string, unknown>) => {
    const request = client.send<SearchResponse>({
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body,
    });
    // Handled at once so that a failure while the caller is busy is not an unhandled
    // rejection; it is still thrown where the page is awaited.
    request.catch(() => undefined);
    return request;
  };
  const query = (range?: { start_at?: string; end_at?: string }, order: "ASC" | "DESC" = "ASC") => ({
    filter: range === undefined ? filter : { ...filter, created_at: range },
    sort: { field: "CREATED_AT", order },
  });

  const first = await search({ limit: PAGE, query: query(), count: true });
  const firstCustomers = first.customers ?? [];
  yield { customers: firstCustomers, ...(typeof first.count === "number" ? { count: first.count } : {}) };
  if (!hasCursor(first)) return;

  const parallel = Math.max(1, Math.floor(options.parallel ?? 4));
  const slicePages = Math.max(1, Math.floor(options.slicePages ?? 10));
  const remaining = Math.ceil(Math.max(0, (first.count ?? 0) - firstCustomers.length) / PAGE);
  const start = timeOf(firstCustomers.at(-1));
  let end: number | undefined;
  if (parallel > 1 && remaining > 2 * slicePages && start !== undefined) {
    const newest = await search({ limit: 1, query: query(undefined, "DESC") });
    end = timeOf(newest.customers?.[0]);
  }
  if (end === undefined || start === undefined || end <= start) {
    yield* followCursor(search, query(), first.cursor);
    return;
  }

  // Slice k keeps start_k <= created_at < start_(k+1); the last one has no end (profiles
  // created during the export are in it). Slice 0 also drops what the first page listed.
  const count = Math.min(remaining, Math.ceil(remaining / slicePages));
  const bounds = Array.from({ length: count }, (_, k) => Math.round(start + ((end - start) * k) / count));
  const seen = new Set(firstCustomers.filter((c) => timeOf(c) === start).map((c) => c.id));
  const ahead = Math.max(1, Math.floor(options.aheadPages ?? slicePages));
  let stopped = false;
  const open = (k: number) =>
    createSlice(async function* () {
      const from = bounds[k] as number;
      const to = bounds[k + 1];
      const range = {
        start_at: new Date(from - 1).toISOString(),
        ...(to === undefined ? {} : { end_at: new Date(to).toISOString() }),
      };
      let cursor: string | undefined;
      do {
        if (stopped) return;
        const page = await search({
          limit: PAGE,
          query: query(range),
          ...(cursor === undefined ? {} : { cursor }),
        });
        yield (page.customers ?? []).filter((c) => {
          const t = timeOf(c);
          if (t === undefined || t < from || (to !== undefined && t >= to)) return false;
          return !(k === 0 && seen.has(c.id));
        });
        cursor = hasCursor(page) ? page.cursor : undefined;
      } while (cursor !== undefined);
    }, ahead);
  const active: Slice[] = [];
  let next = 0;
  try {
    while (next < count && active.length < parallel) active.push(open(next++));
    for (let slice = active.shift(); slice !== undefined; slice = active.shift()) {
      for (let page = await slice.take(); page !== undefined; page = await slice.take()) {
        if (page.length > 0) yield { customers: page };
      }
      if (next < count) active.push(open(next++));
    }
  } finally {
    stopped = true;
    for (const slice of active) slice.cancel();
  }
}

/** The pages after `cursor`, the next requested while the current one is handled. */
async function* followCursor(
  search: (body: Record<string, unknown>) => Promise<SearchResponse>,
  query: unknown,
  cursor: string | undefined,
): AsyncGenerator<ExportPage> {
  let pending = cursor === undefined ? undefined : search({ limit: PAGE, query, cursor });
  while (pending !== undefined) {
    const page = await pending;
    pending = hasCursor(page) ? search({ limit: PAGE, query, cursor: page.cursor }) : undefined;
    yield { customers: page.customers ?? [] };
  }
}

/** A slice being fetched in the background: at most `ahead` pages wait to be taken. */
interface Slice {
  /** The next page, or undefined when the slice is done; throws the slice's error. */
  take(): Promise<SquareCustomer[] | undefined>;
  /** Stops fetching (the export ended early). */
  cancel(): void;
}

function createSlice(pages: () => AsyncGenerator<SquareCustomer[]>, ahead: number): Slice {
  const buffer: SquareCustomer[][] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let cancelled = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const signal = (wake: (() => void) | undefined) => wake?.();
  void (async () => {
    try {
      for await (const page of pages()) {
        if (cancelled) return;
        buffer.push(page);
        signal(wakeConsumer);
        while (buffer.length >= ahead && !cancelled) {
          await new Promise<void>((resolve) => (wakeProducer = resolve));
        }
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      signal(wakeConsumer);
    }
  })();
  return {
    async take() {
      for (;;) {
        const page = buffer.shift();
        if (page !== undefined) {
          signal(wakeProducer);
          return page;
        }
        if (failure !== undefined) throw failure.error;
        if (done) return undefined;
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
      }
    },
    cancel() {
      cancelled = true;
      signal(wakeProducer);
    },
  };
}

function hasCursor(page: SearchResponse): page is SearchResponse & { cursor: string } {
  return page.cursor !== undefined && page.cursor !== "";
}

function timeOf(customer: SquareCustomer | undefined): number | undefined {
  if (customer?.created_at === undefined) return undefined;
  const t = Date.parse(customer.created_at);
  return Number.isFinite(t) ? t : undefined;
}
