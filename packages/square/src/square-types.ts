/**
 * The subset of Square's JSON shapes (snake_case, as on the wire) that groupsync reads and
 * writes. Source: /shared/square-api/customers-openapi.json (Square API 2025-08-20).
 */

/** One entry of Square's `errors` array. */
export interface SquareErrorBody {
  readonly category?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly field?: string;
}

export interface SquareCustomerGroup {
  readonly id: string;
  readonly name: string;
  readonly created_at?: string;
  readonly updated_at?: string;
}

export interface SquareCustomer {
  readonly id: string;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly given_name?: string | null;
  readonly family_name?: string | null;
  readonly company_name?: string | null;
  readonly email_address?: string | null;
  readonly phone_number?: string | null;
  readonly reference_id?: string | null;
  readonly group_ids?: readonly string[];
  readonly segment_ids?: readonly string[];
  readonly creation_source?: string;
  readonly version?: number;
}

export interface SquareTimeRange {
  readonly start_at?: string;
  readonly end_at?: string;
}

export interface SquareTextFilter {
  readonly exact?: string;
  readonly fuzzy?: string;
}

export interface SquareFilterValue {
  readonly all?: readonly string[];
  readonly any?: readonly string[];
  readonly none?: readonly string[];
}

/** `query.filter` of SearchCustomers; filters combine with AND. */
export interface SquareCustomerFilter {
  readonly email_address?: SquareTextFilter;
  readonly phone_number?: SquareTextFilter;
  readonly group_ids?: SquareFilterValue;
  readonly created_at?: SquareTimeRange;
  readonly updated_at?: SquareTimeRange;
  readonly reference_id?: SquareTextFilter;
}

export interface SquareCustomerQuery {
  readonly filter?: SquareCustomerFilter;
  readonly sort?: { readonly field?: "DEFAULT" | "CREATED_AT"; readonly order?: "ASC" | "DESC" };
}

/** The data of a new profile (CreateCustomer). */
export interface SquareNewCustomer {
  readonly given_name?: string;
  readonly family_name?: string;
  readonly company_name?: string;
  readonly email_address?: string;
  readonly phone_number?: string;
  readonly reference_id?: string;
  readonly note?: string;
}
