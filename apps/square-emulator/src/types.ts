/** A customer group in Square's JSON shape (snake_case). */
export interface SquareCustomerGroup {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

/** A postal address in Square's JSON shape. Kept as given. */
export type SquareAddress = Record<string, string | null>;

/** A customer profile in Square's JSON shape (snake_case); optional fields are absent, not null. */
export interface SquareCustomer {
  id: string;
  created_at: string;
  updated_at: string;
  given_name?: string;
  family_name?: string;
  nickname?: string;
  company_name?: string;
  email_address?: string;
  address?: SquareAddress;
  phone_number?: string;
  birthday?: string;
  reference_id?: string;
  note?: string;
  preferences?: { email_unsubscribed?: boolean };
  creation_source?: string;
  group_ids?: string[];
  segment_ids?: string[];
  version?: number;
  tax_ids?: { eu_vat?: string };
}

/** The data an emulator starts from (also the format of `generate` output and of the state file). */
export interface SeedData {
  groups: SquareCustomerGroup[];
  customers: SquareCustomer[];
}

/** A delay in milliseconds: fixed, or drawn uniformly from `[min, max]` for each event. */
export type DelaySpec = number | { min: number; max: number };

/** Fault injection; every field can be changed at runtime with `emulator.configure()`. */
export interface FaultOptions {
  /** Delay before a search sees a change (per change). Default 0 (search is current). */
  searchLagMs: DelaySpec;
  /** Extra latency added before each API response. Default 0. */
  latencyMs: DelaySpec;
  /** Share (0..1) of API requests answered 500 INTERNAL_SERVER_ERROR or 503 SERVICE_UNAVAILABLE. Default 0. */
  faultRate: number;
  /** Share (0..1) of API requests whose connection is destroyed before the response. Default 0. */
  resetRate: number;
  /**
   * Share (0..1) of API requests answered 429 RATE_LIMITED whatever the load, as the token
   * bucket answers (same body, `Retry-After: 1` on every other 429). Default 0.
   */
  throttleRate: number;
  /** Token-bucket rate limit in requests per second (bucket holds one second). Default: none. */
  rateLimit: number | undefined;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; default 0 (any free port). */
  port?: number;
  /** Interface to listen on; default "127.0.0.1". */
  host?: string;
  /** Token with CUSTOMERS_READ and CUSTOMERS_WRITE; default a random one. */
  token?: string;
  /** Token with CUSTOMERS_READ only; default a random one. */
  readOnlyToken?: string;
  /**
   * Initial data; default empty (or the state file's content when it exists). The emulator
   * keeps its profile objects: do not change them in place afterwards.
   */
  seed?: SeedData;
  /** JSON file the state is loaded from (when it exists) and saved to (atomically) after changes. */
  stateFile?: string;
  /** See {@link FaultOptions.searchLagMs}. Default 0. */
  searchLagMs?: DelaySpec;
  /** See {@link FaultOptions.latencyMs}. Default 0. */
  latencyMs?: DelaySpec;
  /** See {@link FaultOptions.faultRate}. Default 0. */
  faultRate?: number;
  /** See {@link FaultOptions.resetRate}. Default 0. */
  resetRate?: number;
  /** See {@link FaultOptions.throttleRate}. Default 0. */
  throttleRate?: number;
  /** See {@link FaultOptions.rateLimit}. Default: unlimited. */
  rateLimit?: number;
  /** Seed of every random choice (IDs, lags, faults); default 1. */
  randomSeed?: number;
}

/** Counters since start or the last reset. */
export interface EmulatorStats {
  /** API requests per Square operation name (e.g. "SearchCustomers"), including rejected ones. */
  calls: Record<string, number>;
  /** Every request to /v2 (including unknown routes). */
  total: number;
  /** Requests answered 429 RATE_LIMITED (by the token bucket or `throttleRate`). */
  rateLimited: number;
  /** Requests answered with an injected 500/503. */
  faults: number;
  /** Connections reset on purpose. */
  resets: number;
}
