import type { ArxivId } from "./arxiv-id.ts";
import type { Category } from "./category.ts";
import type { IsoDate, IsoTimestamp } from "./dates.ts";

/** Where a paper's data came from. Kept per paper so operators can see provenance and per-source counts. */
export const SOURCE_NAMES = [
  "arxiv-snapshot",
  "arxiv-api",
  "arxiv-oai",
  "arxiv-rss",
  "hf-daily",
  "submission",
] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export function isSourceName(s: string): s is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(s);
}

export interface PaperVersion {
  version: number;
  /** When this version was submitted. */
  date: IsoTimestamp;
}

export interface PaperLinks {
  abs: string;
  pdf: string;
  code: string | null;
  project: string | null;
}

/** A paper as the store keeps it: one row per arXiv id, all versions merged. */
export interface Paper {
  id: ArxivId;
  title: string;
  /** As written by the authors, LaTeX included; only line wrapping is normalised. */
  abstract: string;
  /** In the order the paper lists them. */
  authors: string[];
  /** Primary category first. */
  categories: Category[];
  /** Ascending by version number; empty when no source has told us the versions yet. */
  versions: PaperVersion[];
  comments: string | null;
  journalRef: string | null;
  doi: string | null;
  reportNo: string | null;
  license: string | null;
  /** Date of the first version (or the source's publication date when versions are unknown). */
  publishedAt: IsoTimestamp | null;
  links: PaperLinks;
  githubStars: number | null;
  aiSummary: string | null;
  aiKeywords: string[];
  /** When the source that set the enrichments (links, AI summary, keywords) observed them; null if never. */
  enrichedAt: IsoTimestamp | null;
  /** When the star count was observed (by Hugging Face or GitHub); null if never. */
  starsObservedAt: IsoTimestamp | null;
  /**
   * When the paper was withdrawn (its current version's comments or abstract say so, see `withdrawal.ts`): the
   * withdrawing version's date. Withdrawn papers leave search and similar papers but keep their page (and
   * their place in the day lists that featured them). Null otherwise.
   */
  withdrawnAt: IsoTimestamp | null;
  /** Sorted, distinct. */
  sources: SourceName[];
  firstSeenAt: IsoTimestamp;
  lastUpdatedAt: IsoTimestamp;
}

/**
 * What one source says about a paper. Fields a source does not know are left undefined and never erase
 * what the store already has.
 */
export interface PaperRecord {
  id: ArxivId;
  sources: SourceName[];
  /** Versions this record describes; a record with versions is authoritative for the bibliographic fields. */
  versions: PaperVersion[];
  title?: string;
  abstract?: string;
  authors?: string[];
  categories?: Category[];
  comments?: string | null;
  journalRef?: string | null;
  doi?: string | null;
  reportNo?: string | null;
  license?: string | null;
  publishedAt?: IsoTimestamp | null;
  codeUrl?: string | null;
  projectUrl?: string | null;
  githubStars?: number | null;
  aiSummary?: string | null;
  aiKeywords?: string[];
  /**
   * When the source observed the enrichments above (e.g. the day of a daily-papers list). An observation older
   * than the one the store holds does not overwrite it, so replaying old days never rolls star counts back.
   */
  observedAt?: IsoTimestamp;
  /** Only restores from a Paperboy export carry this: the bookkeeping of a paper new to the store. */
  restore?: Pick<Paper, "firstSeenAt" | "lastUpdatedAt" | "enrichedAt" | "starsObservedAt">;
}

export interface Submitter {
  name: string;
  fullname: string | null;
}

export interface Organization {
  name: string;
  fullname: string | null;
}

/**
 * Pictures a source named with a daily entry, as absolute http(s) URLs: the paper's thumbnail, the submitter's
 * and the organisation's avatars. Only the worker fetches them (job `fetch-images`); pages show local copies.
 */
export interface DailyMedia {
  thumbnail: string | null;
  submitterAvatar: string | null;
  organizationAvatar: string | null;
}

/** A paper featured on a day's list, with the counts the source gave on that day. */
export interface DailyEntry {
  date: IsoDate;
  paperId: ArxivId;
  source: SourceName;
  submitter: Submitter | null;
  organization: Organization | null;
  /** Absent when the source named no pictures (older lists, other sources). */
  media?: DailyMedia;
  upvotes: number;
  numComments: number;
  firstSeenAt: IsoTimestamp;
  lastUpdatedAt: IsoTimestamp;
}

export type DailyEntryRecord = Omit<DailyEntry, "firstSeenAt" | "lastUpdatedAt"> &
  Partial<Pick<DailyEntry, "firstSeenAt" | "lastUpdatedAt">>;

export type UpsertOutcome = "added" | "updated" | "unchanged";

export function latestVersion(versions: readonly PaperVersion[]): number {
  let max = 0;
  for (const v of versions) if (v.version > max) max = v.version;
  return max;
}
