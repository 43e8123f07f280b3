import type {
  ArxivId,
  DailyEntry,
  DailyEntryRecord,
  IsoDate,
  IsoTimestamp,
  Job,
  JobState,
  NewJob,
  Paper,
  PaperRecord,
  SourceState,
} from "../core/index.ts";
import type { Accounts } from "./accounts/index.ts";
import type { Community } from "./community/index.ts";
import type { Digests } from "./digests/index.ts";
import type { JobOutcome } from "./jobs.ts";
import type { Listings } from "./listings/index.ts";
import type { Media } from "./media/index.ts";
import type { Recommend } from "./recommend/index.ts";
import type { Dialect } from "./repo.ts";
import type { PaperSearch } from "./search/index.ts";
import type { SearchBuilds } from "./search-builds/index.ts";
import type { SourceStateUpdate } from "./source-state.ts";

export type { Dialect, JobOutcome, SourceStateUpdate };

export interface OutcomeCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface IngestBatch {
  papers: readonly PaperRecord[];
  /** Entries whose paper is neither stored nor in `papers` are rejected. */
  daily?: readonly DailyEntryRecord[];
  /**
   * A sync's progress, saved in the same transaction as the records: after a crash the sync resumes exactly
   * after the last batch that landed.
   */
  checkpoint?: { source: string; update: SourceStateUpdate };
  /** arXiv listing announcements (why a paper was in a category's list on a day). */
  announcements?: readonly Announcement[];
  /** GitHub star observations for the star history, written in the same transaction. */
  stars?: readonly StarObservation[];
}

export interface Announcement {
  day: IsoDate;
  category: string;
  paperId: ArxivId;
  /** `new`, `cross` (cross-list), `replace` (new version) or `replace-cross`. */
  type: string;
  version: number;
}

export interface StarObservation {
  /** `owner/name`; compared without case. */
  repo: string;
  stars: number;
  observedAt: IsoTimestamp;
}

export interface IngestResult {
  papers: OutcomeCounts;
  daily: OutcomeCounts;
  /** Daily entries that named an unknown paper, with the reason. */
  rejectedDaily: { entry: DailyEntryRecord; reason: string }[];
}

export interface StoreStats {
  papers: number;
  dailyEntries: number;
  dailyDays: number;
  /** Papers per source (a paper seen by two sources counts in both). */
  papersBySource: Record<string, number>;
  newestPublishedAt: IsoTimestamp | null;
  newestDailyDate: IsoDate | null;
  oldestDailyDate: IsoDate | null;
  lastUpdatedAt: IsoTimestamp | null;
}

export interface IterateOptions {
  /** Rows fetched per round trip. */
  batchSize?: number;
}

/**
 * The paper store. Every implementation passes the same contract suite (test/store/contract.ts).
 * Writes are idempotent: ingesting the same batch twice leaves the content unchanged, and concurrent
 * ingests (threads, processes or replicas) never duplicate a paper or a daily entry.
 */
export interface Store {
  readonly dialect: Dialect;
  /** Keyword search with filters, sorts and snippets (FTS5 / PostgreSQL full-text search). */
  readonly search: PaperSearch;
  /** Day, week and month lists, trending, author and category pages. */
  readonly listings: Listings;
  /** Users, sessions, tokens (sign-up, sign-in, verification, reset, API tokens). */
  readonly accounts: Accounts;
  /** Votes, comments, libraries, submissions. */
  readonly community: Community;
  /** Digest subscriptions and the exactly-once delivery ledger. */
  readonly digests: Digests;
  /** Pictures named by daily entries and their fetched copies (media/). */
  readonly media: Media;
  /** Thumbs on recommendations and the ledger of papers For-you has shown. */
  readonly recommend: Recommend;
  /** Search engine builds published for replicas, and papers changed since a time (search deltas). */
  readonly searchBuilds: SearchBuilds;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  ingest(batch: IngestBatch, now?: IsoTimestamp): Promise<IngestResult>;
  /**
   * Runs a large load. Indexes that only serve lookups are built once at the end instead of row by row, and the
   * query planner's statistics are refreshed after. Safe with concurrent writers; if the process dies half way,
   * the next `migrate()` (run on every open) rebuilds what is missing.
   */
  bulkLoad<T>(load: () => Promise<T>): Promise<T>;
  getPaper(id: ArxivId): Promise<Paper | null>;
  getPapers(ids: readonly ArxivId[]): Promise<Paper[]>;
  /** Every paper, in id order, fetched in batches so memory stays flat. */
  iteratePapers(options?: IterateOptions): AsyncIterable<Paper>;
  /** Every daily entry, ordered by day then paper id. */
  iterateDailyEntries(options?: IterateOptions): AsyncIterable<DailyEntry>;
  /** A day's entries, most upvoted first. */
  dailyEntries(day: IsoDate): Promise<DailyEntry[]>;
  stats(): Promise<StoreStats>;

  /** Sync bookkeeping per source: cursor, last success and error, newest item. */
  getSourceState(source: string): Promise<SourceState | null>;
  listSourceStates(): Promise<SourceState[]>;
  updateSourceState(source: string, update: SourceStateUpdate, now?: IsoTimestamp): Promise<void>;

  /** Durable jobs. A job with a dedupe key already present is not added again (`created: false`). */
  enqueueJob(job: NewJob, now?: IsoTimestamp): Promise<{ id: string; created: boolean }>;
  /**
   * Claims the next due job for `workerId` until `leaseMs` from now. Concurrent workers (processes or
   * replicas) never get the same job while its lease holds.
   */
  claimJob(
    workerId: string,
    options: { leaseMs: number; kinds?: readonly string[]; now?: IsoTimestamp },
  ): Promise<Job | null>;
  renewJobLease(id: string, workerId: string, leaseMs: number, now?: IsoTimestamp): Promise<boolean>;
  finishJob(id: string, workerId: string, outcome: JobOutcome, now?: IsoTimestamp): Promise<boolean>;
  /** Puts a running job back in the queue, due now, its attempt not counted (its worker is stopping). */
  releaseJob(id: string, workerId: string, now?: IsoTimestamp): Promise<boolean>;
  getJob(id: string): Promise<Job | null>;
  listJobs(filter?: { states?: readonly JobState[]; limit?: number }): Promise<Job[]>;
  jobCounts(): Promise<Record<JobState, number>>;

  /** A day's arXiv announcements, optionally in one category, in paper id order. */
  announcements(day: IsoDate, category?: string): Promise<Announcement[]>;

  /** GitHub star counts over time, per repository (`owner/name`). */
  recordStars(observations: readonly StarObservation[]): Promise<void>;
  starHistory(repo: string): Promise<{ observedAt: IsoTimestamp; stars: number }[]>;
  /** Papers with a code link, in id order after `after`, for the stars refresh. */
  papersWithCode(options: {
    after?: ArxivId | null;
    limit: number;
  }): Promise<{ id: ArxivId; codeUrl: string }[]>;
  /** Papers with no arXiv category (Hugging Face's), in id order after `after`, for the categories sync. */
  papersWithoutCategories(options: { after?: ArxivId | null; limit: number }): Promise<ArxivId[]>;

  close(): Promise<void>;
}
