import type { SearchFilters } from "../../store/search/index.ts";

/**
 * The filters of a search: those typed in the query and those from the request's form fields, together.
 * Authors add up (every one must be on the paper), categories add up (any one of them), and the date range is
 * the narrower of the two.
 */
export function combineFilters(fromQuery: SearchFilters, fromRequest: SearchFilters = {}): SearchFilters {
  const out: SearchFilters = {};
  const authors = distinct([...(fromQuery.authors ?? []), ...(fromRequest.authors ?? [])]);
  const categories = distinct([...(fromQuery.categories ?? []), ...(fromRequest.categories ?? [])]);
  if (authors.length > 0) out.authors = authors;
  if (categories.length > 0) out.categories = categories;
  const since = latest(fromQuery.since, fromRequest.since);
  const until = earliest(fromQuery.until, fromRequest.until);
  if (since !== undefined) out.since = since;
  if (until !== undefined) out.until = until;
  return out;
}

export function hasFilters(filters: SearchFilters): boolean {
  return (
    (filters.authors?.length ?? 0) > 0 ||
    (filters.categories?.length ?? 0) > 0 ||
    filters.since !== undefined ||
    filters.until !== undefined
  );
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function latest<T extends string>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function earliest<T extends string>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
