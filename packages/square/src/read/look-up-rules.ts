import type { DesiredState, Rule } from "@groupsync/core";
import type { SquareClient } from "../client.js";
import { BULK_RETRIEVE_MAX, bulkRetrieveCustomers } from "../customers-api.js";
import { FIRST_PAGE_PRIORITY } from "../paginate.js";
import { pagesFor, searchAllCustomers, type SplitOptions } from "../search-all.js";
import type { SquareCustomer } from "../square-types.js";
import { lookupFilter, matchesLookup } from "./match-customer.js";
import { scanForRules } from "./scan-for-rules.js";
import { TaskQueue } from "./task-queue.js";

/** Look-ups started at once; the client's adaptive limit decides how many are on the wire. */
const LOOKUPS_IN_FLIGHT = 128;

/** Options of {@link RuleLookups}. */
export interface RuleLookupsOptions {
  readonly split: SplitOptions;
  /** Ranges of a scan at most [16]. */
  readonly maxSplits?: number;
  /** Planned look-ups at which the account's size is asked for (one call) [20]. */
  readonly scanProbeAt?: number;
  readonly onLookup: (done: number, planned: number) => void;
  readonly onScanPage: (done: number, total: number) => void;
}

/**
 * Stage 3: the profiles matching rules that no current member satisfies, given group by group
 * (`add`) as groups are read, found by look-ups or by one scan of the account, whichever costs
 * fewer calls:
 * - look-ups start as rules arrive, while fewer than `scanProbeAt` calls are planned;
 * - then one count probe (SearchCustomers `count`) says what a scan costs (its pages):
 *   look-ups go on while they stay under half of that, and are held after;
 * - `finish` scans for the held rules when that takes fewer calls than looking them up. What
 *   streamed before is then wasted: at most max(scanProbeAt, scan pages / 2) calls.
 * A rule is looked up once however many groups name it. Customer ID rules go by
 * BulkRetrieveCustomers in batches of 100, the last, partial one at `finish`.
 */
export class RuleLookups {
  readonly #seen = new Set<string>();
  /** Searches, BulkRetrieve batches and the scan. */
  readonly #work = new TaskQueue(LOOKUPS_IN_FLIGHT);
  /** Customer IDs not sent yet (a batch goes when full). */
  #ids: string[] = [];
  /** Rules held back until `finish` decides between look-ups and a scan. */
  #held: Rule[] = [];
  #searches = 0;
  #idRules = 0;
  #holding = false;
  #count: number | undefined;
  #probe: Promise<void> | undefined;
  #done = 0;
  readonly #found: SquareCustomer[] = [];

  constructor(
    private readonly client: SquareClient,
    private readonly desired: DesiredState,
    private readonly options: RuleLookupsOptions,
  ) {}

  /** Look-up calls planned so far. */
  get #planned(): number {
    return this.#searches + Math.ceil(this.#idRules / BULK_RETRIEVE_MAX);
  }

  /** Rules to look up; those seen before are skipped. */
  add(rules: readonly Rule[]): void {
    const fresh = rules.filter((rule) => {
      const key = `${rule.kind}:${rule.value}`;
      if (this.#seen.has(key)) return false;
      this.#seen.add(key);
      if (rule.kind === "customer_id") this.#idRules++;
      else this.#searches++;
      return true;
    });
    if (fresh.length === 0) return;
    if (!this.#holding) {
      if (this.#probe === undefined && this.#planned >= (this.options.scanProbeAt ?? 20)) {
        this.#holding = true;
        this.#probe = this.#askCount();
        this.#probe.catch(() => {}); // reported by finish
      } else if (this.#count !== undefined && this.#planned >= pagesFor(this.#count) / 2) {
        this.#holding = true;
      }
    }
    if (this.#holding) this.#held.push(...fresh);
    else this.#start(fresh);
  }

  /** Waits for every look-up (or the scan for the held rules) and returns what they found. */
  async finish(): Promise<SquareCustomer[]> {
    try {
      if (this.#probe !== undefined) await this.#probe;
    } catch (error) {
      this.abandon();
      throw error;
    }
    const held = this.#held;
    this.#held = [];
    if (held.length > 0 && this.#count !== undefined && pagesFor(this.#count) < this.#callsFor(held)) {
      const count = this.#count;
      const split = { ...this.options.split, maxSplits: this.options.maxSplits ?? 16 };
      this.#work.push(async () => {
        const found = await scanForRules(
          this.client,
          this.desired,
          held,
          count,
          split,
          this.options.onScanPage,
        );
        this.#found.push(...found);
      });
    } else {
      this.#start(held);
    }
    this.#sendIds(true);
    await this.#work.drain();
    return this.#found;
  }

  /** The read failed elsewhere: start nothing more (what runs ends on its own). */
  abandon(): void {
    this.#work.stop();
  }

  /** Calls that looking up `held` would take, with the customer IDs not sent yet. */
  #callsFor(held: readonly Rule[]): number {
    const idRules = held.filter((r) => r.kind === "customer_id").length;
    return held.length - idRules + Math.ceil((idRules + this.#ids.length) / BULK_RETRIEVE_MAX);
  }

  async #askCount(): Promise<void> {
    const probe = await this.client.send<{ count?: number }>({
      operation: "SearchCustomers",
      method: "POST",
      path: "/v2/customers/search",
      body: { limit: 1, count: true },
      // Look-ups are held until it answers: it goes before the pages queued meanwhile.
      priority: FIRST_PAGE_PRIORITY,
    });
    this.#count = probe.count;
    // Still far under a scan's cost (or no scan possible): stream again.
    if (this.#count === undefined || this.#planned < pagesFor(this.#count) / 2) {
      this.#holding = false;
      const held = this.#held;
      this.#held = [];
      this.#start(held);
    }
  }

  #start(rules: readonly Rule[]): void {
    for (const rule of rules) {
      if (rule.kind === "customer_id") this.#ids.push(rule.value);
      else this.#work.push(() => this.#search(rule));
    }
    this.#sendIds(false);
  }

  async #search(rule: Rule): Promise<void> {
    const matches = await searchAllCustomers(this.client, lookupFilter(rule), this.options.split);
    this.#found.push(...matches.filter((c) => matchesLookup(c, rule)));
    this.options.onLookup(++this.#done, this.#planned);
  }

  /** BulkRetrieve in full batches of 100; the last, partial one only at the end. */
  #sendIds(last: boolean): void {
    while (this.#ids.length >= BULK_RETRIEVE_MAX || (last && this.#ids.length > 0)) {
      const batch = this.#ids.splice(0, BULK_RETRIEVE_MAX);
      this.#work.push(async () => {
        const found = await bulkRetrieveCustomers(this.client, batch);
        this.#found.push(...found.values());
        this.options.onLookup(++this.#done, this.#planned);
      });
    }
  }
}
