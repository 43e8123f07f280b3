import type { ArxivId, Category, DailyEntry, IsoDate, Paper } from "../../core/index.ts";
import type { TrendingParams } from "../../core/trending.ts";

/**
 * How a list is ordered:
 * - `top`: upvotes (Hugging Face upvotes of the largest daily entry + local votes), then comments, then id;
 * - `trending`: the trending score (src/core/trending.ts) at the list's reference time;
 * - `newest`: publication date, newest first, then id.
 */
export const LISTING_SORTS = ["top", "trending", "newest"] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

/** A stretch of calendar the daily lists cover. Weeks are ISO weeks (Monday to Sunday, `2024-W22`). */
export type Period =
  | { kind: "day"; date: IsoDate }
  | { kind: "week"; week: string }
  | { kind: "month"; month: string };

export type PeriodKind = Period["kind"];

/** A period resolved to its days. */
export interface PeriodRange {
  kind: PeriodKind;
  /** `2024-05-27`, `2024-W22` or `2024-05`. */
  key: string;
  /** First day, inclusive. */
  start: IsoDate;
  /** Last day, inclusive. */
  end: IsoDate;
}

export interface PageOptions {
  /** 1-based; default 1. */
  page?: number;
  /** 1..100; default 50. */
  perPage?: number;
}

export interface ListingOptions extends PageOptions {
  /** Default `top` for periods, `newest` for author and category pages. */
  sort?: ListingSort;
  /** The clock, for trending scores (tests pass a fixed one); default now. */
  now?: Date;
}

export interface PeriodOptions extends ListingOptions {
  /** Only entries submitted by this Hugging Face user name (`submitter.name`), compared without case. */
  submitter?: string;
  /** Only papers in this category (primary or cross-listed). */
  category?: Category;
}

export interface TrendingOptions extends PageOptions {
  /** The moment the scores are computed for; default the clock, capped at the end of the newest listed day. */
  now?: Date;
  category?: Category;
  /** Overrides of the documented defaults (DEFAULT_TRENDING_PARAMS). */
  params?: Partial<TrendingParams>;
}

/** What readers did with a paper, across sources. */
export interface PaperActivity {
  /** Hugging Face upvotes of the paper's largest daily entry plus local votes. */
  upvotes: number;
  /** Hugging Face comment count of that entry plus local comments. */
  numComments: number;
  /** The daily entry with the most upvotes (latest day on ties); null if the paper was never featured. */
  entry: DailyEntry | null;
  /** Days the paper was featured, ascending. */
  featuredOn: IsoDate[];
}

export interface ListedPaper extends PaperActivity {
  paper: Paper;
  /** GitHub stars gained over the trending window (0 without star history). */
  starsGained: number;
  /** Trending score at the list's reference time; shown to explain the order, whatever the sort. */
  score: number;
}

export interface Listing {
  items: ListedPaper[];
  /** Papers matching, over all pages. */
  total: number;
  page: number;
  perPage: number;
  sort: ListingSort;
}

export interface PeriodListing extends Listing {
  range: PeriodRange;
  /** Key of the nearest earlier / later period of the same kind that has papers; null at either end. */
  previous: string | null;
  next: string | null;
}

export interface TrendingListing extends Listing {
  /** The reference time the scores were computed for. */
  at: Date;
  /** Days whose entries were candidates (inclusive). */
  window: { start: IsoDate; end: IsoDate };
  params: TrendingParams;
}

export interface DayCount {
  date: IsoDate;
  papers: number;
}

/** Local votes and visible comments of many papers at once (the community module's counters by default). */
export type LocalActivitySource = (
  ids: readonly ArxivId[],
) => Promise<Map<ArxivId, { votes: number; comments: number }>>;

/**
 * Day, week and month lists, trending, author and category pages (`store.listings`). Papers an admin hid
 * (`store.community.hidePaper`) are left out of every list; `activity` still answers for them.
 */
export interface Listings {
  /**
   * An opaque value that changes whenever anything is written to the database (by any process), or null when
   * the database cannot tell. Lists read under one version are equal until it changes, except for what depends
   * on the clock (trending scores and order): callers may keep what they built from a list until then.
   */
  version(): Promise<string | null>;
  /** The newest day that has daily entries; null on an empty store. */
  latestDay(): Promise<IsoDate | null>;
  /** Days with papers in [from, to] (both optional, inclusive), newest first, with their paper counts. */
  days(range?: { from?: IsoDate; to?: IsoDate; limit?: number }): Promise<DayCount[]>;
  /**
   * The papers featured in a period (null: the latest day with papers). A paper featured on several days of
   * the period appears once, with its largest entry. Throws `invalid_date` for a malformed week or month.
   */
  period(period: Period | null, options?: PeriodOptions): Promise<PeriodListing>;
  /** Papers featured in the trending window before the reference time, by trending score. */
  trending(options?: TrendingOptions): Promise<TrendingListing>;
  /** Papers by an author (name matched without case or accents, as `authorKey`), newest first by default. */
  byAuthor(name: string, options?: ListingOptions): Promise<Listing>;
  /** Papers in a category (primary or cross-listed), newest first by default. */
  byCategory(category: Category, options?: ListingOptions): Promise<Listing>;
  /** Activity of many papers at once (unknown or never-featured ids get zero counts and no entry). */
  activity(ids: readonly ArxivId[]): Promise<Map<ArxivId, PaperActivity>>;
}
