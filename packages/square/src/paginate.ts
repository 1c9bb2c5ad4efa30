import type { SquareClient } from "./client.js";
import type { SquareRequest } from "./square-request.js";

/** An answer of a Square list or search: `cursor` names the next page, absent or `""` on the last. */
export interface CursorPage {
  readonly cursor?: string;
}

/**
 * Request priorities (the client serves the highest first): a page's priority is the number of
 * pages its chain still has to read one after another, so that the longest chains start first
 * and single requests (look-ups) fill the slots they leave. A first page's chain is unknown until
 * it answers (its `count`): first pages go before everything, and find out. So does a request
 * other work waits on (the look-ups' count probe).
 */
export const FIRST_PAGE_PRIORITY = 1_000_000;

/**
 * The group list's pages follow each other by cursor, and the whole read waits for the list: its
 * next page goes before any other waiting request (the reader starts member pages meanwhile).
 */
export const LIST_PAGE_PRIORITY = 2 * FIRST_PAGE_PRIORITY;

/** Options of the paginating iterators. */
export interface PageOptions {
  /** Page size sent as `limit` (Square's maximum by default). */
  readonly limit?: number;
  /** Called after each page with the number of items on it. */
  readonly onPage?: (items: number) => void;
}

/** One page of {@link paginate}: its items, and whether it is the last. */
export interface Page<Item> {
  readonly items: readonly Item[];
  readonly last: boolean;
}

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** The cursor to go on from [none: the first page]. */
  readonly cursor?: string;
  /** The priority of the n-th page sent, from 1 [the request's own]. */
  readonly priority?: (page: number) => number;
}

/**
 * Every page of a Square list or search, one answer after the other by cursor (octokit's
 * `paginate.iterator`): `request` is the first page's; later pages carry the cursor, in the
 * query of a GET, in the body otherwise (Square's convention). `pick` takes the items out of an
 * answer (none: `[]`). A page is asked for only when the one before has been
 * consumed, so a caller that stops early costs no extra call.
 */
export async function* paginate<Answer extends CursorPage, Item>(
  client: SquareClient,
  request: SquareRequest,
  pick: (answer: Answer) => readonly Item[] | undefined,
  options: PaginateOptions = {},
): AsyncGenerator<Page<Item>, void, undefined> {
  let cursor = options.cursor;
  for (let page = 1; ; page++) {
    const answer = await client.send<Answer>({
      ...withCursor(request, cursor),
      ...(options.priority === undefined ? {} : { priority: options.priority(page) }),
    });
    cursor = answer.cursor === "" ? undefined : answer.cursor;
    yield { items: pick(answer) ?? [], last: cursor === undefined };
    if (cursor === undefined) return;
  }
}

function withCursor(request: SquareRequest, cursor: string | undefined): SquareRequest {
  if (cursor === undefined) return request;
  if (request.method === "GET") return { ...request, query: { ...request.query, cursor } };
  return { ...request, body: { ...(request.body as object | undefined), cursor } };
}
