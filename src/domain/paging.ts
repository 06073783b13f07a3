import { badRequest } from "./errors.ts";

/** How many rows a list answers when the caller does not say. */
export const DEFAULT_PAGE_LIMIT = 50;
/** The most rows one page may hold. */
export const MAX_PAGE_LIMIT = 200;
/** Deeper than this a list is searched with its filters, not paged through. */
export const MAX_PAGE_OFFSET = 1_000_000;

/** Which rows of a list to answer: `limit` rows after skipping `offset`. */
export interface Paging {
  readonly limit: number;
  readonly offset: number;
}

/** One page of a list: its rows and the offset of the next page, or null on the last one. */
export interface Page<T> {
  readonly items: T[];
  readonly nextOffset: number | null;
}

/** A whole number in [min, max], from a number or its decimal digits; null otherwise. */
function wholeNumber(value: unknown, min: number, max: number): number | null {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d{1,9}$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(number) && number >= min && number <= max ? number : null;
}

/**
 * The paging a caller asked for (query values arrive as text): a missing value takes its
 * default, anything else outside its bounds is a 400 `invalid_paging` naming the field.
 */
export function parsePaging(input: { limit?: unknown; offset?: unknown }): Paging {
  const given = (value: unknown) => value !== undefined && value !== null && value !== "";
  const limit = given(input.limit) ? wholeNumber(input.limit, 1, MAX_PAGE_LIMIT) : DEFAULT_PAGE_LIMIT;
  if (limit === null) {
    throw badRequest("invalid_paging", `limit is a whole number from 1 to ${MAX_PAGE_LIMIT}.`, {
      field: "limit",
    });
  }
  const offset = given(input.offset) ? wholeNumber(input.offset, 0, MAX_PAGE_OFFSET) : 0;
  if (offset === null) {
    throw badRequest("invalid_paging", `offset is a whole number from 0 to ${MAX_PAGE_OFFSET}.`, {
      field: "offset",
    });
  }
  return { limit, offset };
}

/** How many rows to read for a page: one more than it shows tells whether another page follows. */
export const rowsToRead = (paging: Paging) => paging.limit + 1;

/** The page made of the rows read with `rowsToRead`. */
export function pageOf<T>(rows: readonly T[], paging: Paging): Page<T> {
  const more = rows.length > paging.limit;
  return { items: rows.slice(0, paging.limit), nextOffset: more ? paging.offset + paging.limit : null };
}

/** The offset of the page before this one, or null on the first. */
export function previousOffset(paging: Paging): number | null {
  return paging.offset === 0 ? null : Math.max(0, paging.offset - paging.limit);
}
