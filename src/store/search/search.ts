import type { ArxivId, Paper } from "../../core/index.ts";
import type { ParsedSearchQuery, SearchFilters } from "../../core/search-query.ts";
import type { TextPiece } from "../../core/text/highlight.ts";
import type { PaperFacets } from "./facets.ts";
import type { WordMatch } from "./match.ts";
import type { SortKey, SortKeyRow } from "./sort-keys.ts";

/**
 * How results are ordered. `relevance`: the keyword score with field weights (title 2, authors 1.5, abstract 1;
 * FTS5 bm25() on SQLite, ts_rank on PostgreSQL); `date`: newest first; `upvotes`: most first. Ties go to the
 * newer paper, then the smaller id.
 */
export type SearchSort = "relevance" | "date" | "upvotes";

export type { SearchFilters } from "../../core/search-query.ts";
export type { TextPiece } from "../../core/text/highlight.ts";
export type { PaperFacets } from "./facets.ts";
export type { WordMatch } from "./match.ts";
export type { SortKey, SortKeyRow } from "./sort-keys.ts";

export interface StoreSearchRequest {
  /**
   * The search box's text (core/search-query.ts): words, "quoted phrases", -excluded words. Filter syntax in it
   * (`author:`, `cat:`, `since:`, ...) is applied together with `filters`; a caller that parsed the query
   * already passes its `text`, which has none.
   */
  text: string;
  /** `text` as the caller already parsed it (`parseSearchQuery(text)`), so the store does not parse it again. */
  parsed?: ParsedSearchQuery;
  filters?: SearchFilters;
  /**
   * Whether a paper needs any of the words (default; relevance ranks the best first) or all of them (what a
   * sort by date or upvotes wants: papers about the whole query, not about its commonest word).
   */
  match?: WordMatch;
  /**
   * Papers that answer the query whatever their words (the search engine's best by meaning), listed and
   * counted with the text's matches; they still have to pass the filters. At most 1,000.
   */
  include?: readonly ArxivId[];
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
  /** Hugging Face upvotes (largest daily entry); see `PAPER_UPVOTES_SQL`, where local votes are to join. */
  upvotes: number;
}

export interface KnownAuthor {
  name: string;
  papers: number;
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
  /**
   * The author whose name is `name` (as `authorKey` folds it: case, accents and punctuation aside), with the
   * spelling most of their papers use and how many papers they have; null when no paper has such an author.
   */
  author(name: string): Promise<KnownAuthor | null>;
  /**
   * What filters read of each paper (publication time, categories, author name keys), a page at a time in
   * byte order of ids after `after`: the search engine evaluates filters over its own documents with them.
   */
  facetPage(after: string | null, limit: number): Promise<PaperFacets[]>;
  /** The same for the papers `ids` the store holds (in no particular order). */
  facetsOf(ids: readonly ArxivId[]): Promise<PaperFacets[]>;
  /** What a date or upvotes sort orders by, for the search service to sort matches in process (sort-keys.ts). */
  readonly sortKeys: SortKeySource;
  /**
   * The hits of the papers `ids`, in that order, as `search` with the same text, `match` and `include` would
   * give them (score, highlights, upvotes): the page of a sort computed elsewhere. `matches`: how many papers
   * the text matches, when known (it picks how the scores are computed, not what they are).
   */
  hitsFor(
    query: ParsedSearchQuery,
    match: WordMatch,
    ids: readonly ArxivId[],
    include: readonly ArxivId[],
    matches?: number,
  ): Promise<StoreSearchHit[]>;
}

/** See `SortKeyReader` (sort-keys.ts). */
export interface SortKeySource {
  page(after: SortKey | null, limit: number): Promise<SortKeyRow[]>;
  mark(): Promise<string | null>;
  changedSince(mark: string): Promise<SortKeyRow[]>;
  ofIds(ids: readonly string[]): Promise<SortKeyRow[]>;
  ofKeys(keys: readonly SortKey[]): Promise<SortKeyRow[]>;
  matching(query: ParsedSearchQuery, match: WordMatch): Promise<SortKey[]>;
  withdrawn(): Promise<SortKey[]>;
  upvotes(): Promise<{ key: SortKey; upvotes: number }[]>;
}
