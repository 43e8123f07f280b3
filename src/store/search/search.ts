import type { ArxivId, IsoDate, Paper } from "../../core/index.ts";

/** How results are ordered. `relevance` is BM25 with field weights; `date` newest first; `upvotes` most first. */
export type SearchSort = "relevance" | "date" | "upvotes";

/** Filters a search (or a listing) can carry; `author:`, `cat:`, `since:`, `until:`, `year:` in a query. */
export interface SearchFilters {
  /** Every author must be on the paper (matched on `authorKey`, so case and accents do not matter). */
  authors?: readonly string[];
  /** The paper must be in at least one of these categories (primary or cross-list). */
  categories?: readonly string[];
  /** Published on or after this day (UTC). */
  since?: IsoDate;
  /** Published on or before this day (UTC). */
  until?: IsoDate;
}

/** A piece of highlighted text: renderers escape `text` and mark the pieces with `match`. */
export interface TextPiece {
  text: string;
  match: boolean;
}

export interface StoreSearchRequest {
  /** Free text: words, "quoted phrases"; filter syntax already taken out (see core/search-query.ts). */
  text: string;
  filters?: SearchFilters;
  sort?: SearchSort;
  /** Results skipped (pagination). Default 0. */
  offset?: number;
  /** Results returned, 1..100. Default 20. */
  limit?: number;
}

export interface StoreSearchHit {
  paper: Paper;
  /** Higher is better; comparable within one response only. */
  score: number;
  /** The title with the query's words marked. */
  title: TextPiece[];
  /** A window of the abstract around the best match, words marked; the abstract's start when none match. */
  snippet: TextPiece[];
  /** Hugging Face upvotes (largest daily entry) plus local votes. */
  upvotes: number;
}

export interface StoreSearchResult {
  hits: StoreSearchHit[];
  /** How many papers match (exact up to 10,000, then a lower bound). */
  total: number;
  /** Things to tell the user about their query (a cut query, an unbalanced quote). */
  notes: string[];
  /** Set when nothing could be searched (only stop words, nothing left after cleaning); hits are then empty. */
  problem: string | null;
}

/**
 * Keyword search inside the store: SQLite FTS5 and PostgreSQL full-text search behind one contract
 * (test/store/contract-search.ts runs on both). It is always current (index maintained on every ingest), so
 * it serves filters, sorts by date or upvotes, and papers newer than the in-process search engine.
 */
export interface PaperSearch {
  search(request: StoreSearchRequest): Promise<StoreSearchResult>;
  /** Papers matching only filters (no text), in `sort` order (`relevance` falls back to date). */
  filter(request: Omit<StoreSearchRequest, "text">): Promise<StoreSearchResult>;
  /** Of `ids`, the ones that pass `filters`, in the given order. */
  passing(ids: readonly ArxivId[], filters: SearchFilters): Promise<ArxivId[]>;
}
