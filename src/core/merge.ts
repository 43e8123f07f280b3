import { absUrl, pdfUrl } from "./arxiv-id.ts";
import type { IsoTimestamp } from "./dates.ts";
import {
  type DailyEntry,
  type DailyEntryRecord,
  latestVersion,
  type Paper,
  type PaperRecord,
  type PaperVersion,
  type SourceName,
  type UpsertOutcome,
} from "./paper.ts";
import { isWithdrawalNotice } from "./withdrawal.ts";

/**
 * How a record from a source changes a stored paper. The rules, in order:
 *
 * 1. A record with a newer latest version than the store's replaces the bibliographic fields it carries
 *    (title, abstract, authors, categories, comments, journal-ref, DOI, report number, license) and extends the
 *    version list. A record whose latest version is older or equal changes none of them.
 * 2. A record without versions (e.g. Hugging Face) only fills bibliographic fields the store has empty.
 * 3. Enrichments (code and project links, AI summary and keywords) and the GitHub star count take the record's
 *    value when it gives one, whatever its version, unless the record was observed before the value the store
 *    has (each kept with its own observation time, so a fresh GitHub count and an older daily list don't clash).
 * 4. Sources accumulate.
 * 5. The paper is withdrawn while its current metadata says so (see `withdrawnAt` below).
 *
 * Anything else is left as it was, so replaying the same input is a no-op and the result is "unchanged".
 */
export function mergePaper(
  existing: Paper | null,
  record: PaperRecord,
  now: IsoTimestamp,
): { paper: Paper; outcome: UpsertOutcome } {
  if (existing === null) return { paper: newPaper(record, now), outcome: "added" };

  const next: Paper = { ...existing };
  const recordLatest = latestVersion(record.versions);
  const storedLatest = latestVersion(existing.versions);

  if (recordLatest > storedLatest) {
    assignBibliographic(next, record, "replace");
    next.versions = mergeVersions(existing.versions, record.versions);
    next.publishedAt = next.versions[0]?.date ?? next.publishedAt;
  } else if (recordLatest === 0) {
    assignBibliographic(next, record, "fill");
    if (next.publishedAt === null && record.publishedAt) next.publishedAt = record.publishedAt;
  }

  const seen = record.observedAt;
  if (!seen || existing.enrichedAt === null || seen >= existing.enrichedAt) {
    if (applyEnrichments(next, record) && seen && seen !== existing.enrichedAt) next.enrichedAt = seen;
  }
  if (!seen || existing.starsObservedAt === null || seen >= existing.starsObservedAt) {
    if (record.githubStars !== undefined && record.githubStars !== null) {
      next.githubStars = record.githubStars;
      if (seen) next.starsObservedAt = seen;
    }
  }
  next.sources = unionSources(existing.sources, record.sources);
  next.withdrawnAt = withdrawnAt(next, existing.withdrawnAt, now);

  if (samePaperContent(existing, next)) return { paper: existing, outcome: "unchanged" };
  next.lastUpdatedAt = now;
  return { paper: next, outcome: "updated" };
}

/** Applies the record's links, AI summary and keywords; true when it carried any. */
function applyEnrichments(next: Paper, record: PaperRecord): boolean {
  let carried = false;
  if (record.codeUrl) {
    next.links = { ...next.links, code: record.codeUrl };
    carried = true;
  }
  if (record.projectUrl) {
    next.links = { ...next.links, project: record.projectUrl };
    carried = true;
  }
  if (record.aiSummary) {
    next.aiSummary = record.aiSummary;
    carried = true;
  }
  if (record.aiKeywords && record.aiKeywords.length > 0) {
    next.aiKeywords = record.aiKeywords;
    carried = true;
  }
  return carried;
}

/**
 * 5. A paper is withdrawn while its current comments or abstract say so (`isWithdrawalNotice`), since the
 *    date of its latest version (kept once set); a later version without the notice reinstates it.
 */
function withdrawnAt(paper: Paper, before: IsoTimestamp | null, now: IsoTimestamp): IsoTimestamp | null {
  if (!isWithdrawalNotice(paper.comments, paper.abstract)) return null;
  return before ?? paper.versions.at(-1)?.date ?? now;
}

function newPaper(record: PaperRecord, now: IsoTimestamp): Paper {
  const versions = mergeVersions([], record.versions);
  const paper: Paper = {
    id: record.id,
    title: record.title ?? "",
    abstract: record.abstract ?? "",
    authors: record.authors ?? [],
    categories: record.categories ?? [],
    versions,
    comments: record.comments ?? null,
    journalRef: record.journalRef ?? null,
    doi: record.doi ?? null,
    reportNo: record.reportNo ?? null,
    license: record.license ?? null,
    publishedAt: versions[0]?.date ?? record.publishedAt ?? null,
    links: {
      abs: absUrl(record.id),
      pdf: pdfUrl(record.id),
      code: record.codeUrl ?? null,
      project: record.projectUrl ?? null,
    },
    githubStars: record.githubStars ?? null,
    aiSummary: record.aiSummary ?? null,
    aiKeywords: record.aiKeywords ?? [],
    enrichedAt: record.restore?.enrichedAt ?? (hasEnrichments(record) ? (record.observedAt ?? null) : null),
    starsObservedAt:
      record.restore?.starsObservedAt ??
      (record.githubStars !== undefined && record.githubStars !== null ? (record.observedAt ?? null) : null),
    withdrawnAt: null,
    sources: unionSources([], record.sources),
    firstSeenAt: record.restore?.firstSeenAt ?? now,
    lastUpdatedAt: record.restore?.lastUpdatedAt ?? now,
  };
  paper.withdrawnAt = withdrawnAt(paper, null, now);
  return paper;
}

function hasEnrichments(record: PaperRecord): boolean {
  return Boolean(record.codeUrl || record.projectUrl || record.aiSummary || record.aiKeywords?.length);
}

const NULLABLE_FIELDS = ["comments", "journalRef", "doi", "reportNo", "license"] as const;

function assignBibliographic(target: Paper, record: PaperRecord, mode: "replace" | "fill"): void {
  const take = <T>(current: T, incoming: T | undefined, isEmpty: (v: T) => boolean): T => {
    if (incoming === undefined) return current;
    if (mode === "fill" && !isEmpty(current)) return current;
    if (mode === "fill" && isEmpty(incoming)) return current;
    return incoming;
  };
  target.title = take(target.title, record.title, (v) => v === "");
  target.abstract = take(target.abstract, record.abstract, (v) => v === "");
  target.authors = take(target.authors, record.authors, (v) => v.length === 0);
  target.categories = take(target.categories, record.categories, (v) => v.length === 0);
  for (const field of NULLABLE_FIELDS) {
    target[field] = take(target[field], record[field], (v) => v === null);
  }
}

function mergeVersions(stored: readonly PaperVersion[], incoming: readonly PaperVersion[]): PaperVersion[] {
  const byNumber = new Map<number, PaperVersion>();
  for (const v of stored) byNumber.set(v.version, v);
  for (const v of incoming) if (!byNumber.has(v.version)) byNumber.set(v.version, v);
  return [...byNumber.values()].sort((a, b) => a.version - b.version);
}

function unionSources(a: readonly SourceName[], b: readonly SourceName[]): SourceName[] {
  return [...new Set([...a, ...b])].sort();
}

/** Content equality of two papers, ignoring the bookkeeping timestamps. */
export function samePaperContent(a: Paper, b: Paper): boolean {
  const strip = ({ firstSeenAt: _f, lastUpdatedAt: _l, ...rest }: Paper) => rest;
  return stableJson(strip(a)) === stableJson(strip(b));
}

/** Merges a daily entry: the counts and submitter are replaced by the latest sync of that day. */
export function mergeDailyEntry(
  existing: DailyEntry | null,
  record: DailyEntryRecord,
  now: IsoTimestamp,
): { entry: DailyEntry; outcome: UpsertOutcome } {
  const incoming: DailyEntry = {
    ...record,
    firstSeenAt: existing?.firstSeenAt ?? record.firstSeenAt ?? now,
    lastUpdatedAt: existing?.lastUpdatedAt ?? record.lastUpdatedAt ?? now,
  };
  if (existing === null) return { entry: incoming, outcome: "added" };
  if (stableJson(incoming) === stableJson(existing)) return { entry: existing, outcome: "unchanged" };
  return { entry: { ...incoming, lastUpdatedAt: now }, outcome: "updated" };
}

/** JSON with object keys sorted, so that equal content gives equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}
