import type { ArxivId, Paper } from "../../core/index.ts";
import type { KnownAuthor, SearchFilters, SearchSort, TextPiece } from "../../store/search/index.ts";
import type { SearchMode } from "../engine.ts";

/** One search as a reader types it: the query may carry `author:`, `cat:`, `since:`, `until:`, `year:`. */
export interface PaperQuery {
  q: string;
  /** Default hybrid when the engine is built, keyword otherwise. */
  mode?: SearchMode;
  sort?: SearchSort;
  /** Extra filters (from form fields), combined with those in `q`. */
  filters?: SearchFilters;
  /** 1-based. */
  page?: number;
  /** 1..100, default 20. */
  perPage?: number;
  /**
   * Help with words no paper uses, on the first page. "correct" (default): the suggestion's results when it
   * finds papers (`correctedFrom`); "suggest": the words as typed, with the suggestion (a "search instead for"
   * link); "off": neither (feeds, the Hugging Face-shaped API, benchmarks).
   */
  spelling?: SpellingHelp;
}

export type SpellingHelp = "correct" | "suggest" | "off";

export interface PaperHit {
  paper: Paper;
  score: number;
  title: TextPiece[];
  snippet: TextPiece[];
  upvotes: number;
}

export interface PaperResults {
  hits: PaperHit[];
  /**
   * Results that can be paged through. From the store: every match (exact up to 10,000). From the engine: its
   * ranked list after filters, at most 100 deep without filters and 1,000 with them, plus newer papers.
   */
  total: number;
  page: number;
  perPage: number;
  /** The mode actually used (hybrid falls back to keyword while no engine is built). */
  mode: SearchMode;
  /** The filters understood from the query and the request. */
  filters: SearchFilters;
  notes: string[];
  problem: string | null;
  /**
   * "Did you mean": the query with words the library never uses replaced by the closest ones it does (first
   * page only, once the engine is built); null when there is nothing to suggest. When `correctedFrom` is set,
   * the results are this query's.
   */
  suggestion: string | null;
  /**
   * The query as typed, when the results are those of its `suggestion` instead (same filters, mode, sort and
   * page size), which is whenever the suggestion finds papers and `spelling` is "correct": a word no paper uses
   * adds nothing to the typed query's results. Null when the results are the typed query's.
   */
  correctedFrom: string | null;
  /** With `correctedFrom`: whether the typed query finds papers of its own (worth a "search instead" link). */
  typedHasResults: boolean;
  /**
   * When the query is just an author's name (two words or more, no filters, first page): that author, as most
   * of their papers spell the name, and how many papers they have, for a link to their page. Else null.
   */
  author: KnownAuthor | null;
}

export interface SimilarPaper {
  paper: Paper;
  score: number;
}

export interface SearchStatus {
  /** Papers the engine was built from, and when; null before the first build. */
  engine: { papers: number; builtAt: string; embedder: string; file: string } | null;
  storePapers: number;
  /** Whether the worker would rebuild now (grown past the threshold, or never built). */
  stale: boolean;
  /**
   * The corpus embedder's drift against the papers stored since the build (service/drift.ts) and the
   * threshold past which the worker rebuilds; null when not measured (no delta yet, or a served embedder).
   */
  drift?: { value: number; papers: number; threshold: number } | null;
  /** The build and delta file this process searches with now (null before one is loaded). */
  serving?: {
    build: string;
    delta: string | null;
    papers: number;
    /** Whether filters are evaluated on the engine's facets (false: each filtered search asks the store). */
    facets: boolean;
  } | null;
  /**
   * The sort keys date and upvotes sorts are answered with in process (`sorted-index.ts`): papers loaded, and
   * searches answered so far; null when not loaded (those sorts are then the store's).
   */
  sortKeys?: { papers: number; answered: number } | null;
}

/**
 * The product's search: the in-process engine (BM25F + vectors, hybrid) for relevance, the store's full-text
 * search for filters, other sorts and papers newer than the engine. Pages, the API, the CLI and the BEIR
 * harness all go through this one code path.
 */
export interface SearchService {
  search(query: PaperQuery): Promise<PaperResults>;
  /** Papers like `id`, never `id` itself nor another version of it. Empty when `id` is unknown. */
  similar(id: ArxivId, limit?: number): Promise<SimilarPaper[]>;
  status(): Promise<SearchStatus>;
}
