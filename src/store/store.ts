import type {
  ArxivId,
  DailyEntry,
  DailyEntryRecord,
  IsoDate,
  IsoTimestamp,
  Paper,
  PaperRecord,
} from "../core/index.ts";

export type Dialect = "sqlite" | "postgres";

export interface OutcomeCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface IngestBatch {
  papers: readonly PaperRecord[];
  /** Entries whose paper is neither stored nor in `papers` are rejected. */
  daily?: readonly DailyEntryRecord[];
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
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  ingest(batch: IngestBatch, now?: IsoTimestamp): Promise<IngestResult>;
  getPaper(id: ArxivId): Promise<Paper | null>;
  getPapers(ids: readonly ArxivId[]): Promise<Paper[]>;
  /** Every paper, in id order, fetched in batches so memory stays flat. */
  iteratePapers(options?: IterateOptions): AsyncIterable<Paper>;
  /** Every daily entry, ordered by day then paper id. */
  iterateDailyEntries(options?: IterateOptions): AsyncIterable<DailyEntry>;
  /** A day's entries, most upvoted first. */
  dailyEntries(day: IsoDate): Promise<DailyEntry[]>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
