import type {
  ArxivId,
  Category,
  DailyEntry,
  DailyMedia,
  IsoDate,
  IsoTimestamp,
  Organization,
  Paper,
  PaperVersion,
  SourceName,
  Submitter,
} from "../core/index.ts";
import { absUrl, authorKey, latestVersion, pdfUrl, ValidationError } from "../core/index.ts";
import type {
  DailyEntriesTable,
  PaperAuthorsTable,
  PaperCategoriesTable,
  PaperSourcesTable,
  PapersTable,
} from "./schema.ts";

// Rows come from our own writes, so their JSON is trusted to have the shape we wrote.
function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/**
 * PostgreSQL text cannot hold a NUL byte; refusing it on every dialect keeps the stores interchangeable.
 * Importers strip NULs from source text, so reaching this is a bug upstream.
 */
function checkNoNul<T extends object>(row: T): T {
  for (const [column, value] of Object.entries(row)) {
    if (typeof value === "string" && value.includes("\u0000")) {
      throw new ValidationError("invalid_record", `column ${column} contains a NUL byte`);
    }
  }
  return row;
}

export function paperToRow(p: Paper): PapersTable {
  return checkNoNul({
    arxiv_id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors_json: JSON.stringify(p.authors),
    categories_json: JSON.stringify(p.categories),
    primary_category: p.categories[0] ?? null,
    versions_json: JSON.stringify(p.versions),
    latest_version: latestVersion(p.versions),
    comments: p.comments,
    journal_ref: p.journalRef,
    doi: p.doi,
    report_no: p.reportNo,
    license: p.license,
    published_at: p.publishedAt,
    code_url: p.links.code,
    project_url: p.links.project,
    github_stars: p.githubStars,
    ai_summary: p.aiSummary,
    ai_keywords_json: JSON.stringify(p.aiKeywords),
    enriched_at: p.enrichedAt,
    stars_observed_at: p.starsObservedAt,
    withdrawn_at: p.withdrawnAt,
    sources_json: JSON.stringify(p.sources),
    first_seen_at: p.firstSeenAt,
    last_updated_at: p.lastUpdatedAt,
  });
}

export function rowToPaper(r: PapersTable): Paper {
  const id = r.arxiv_id as ArxivId;
  return {
    id,
    title: r.title,
    abstract: r.abstract,
    authors: parseJson<string[]>(r.authors_json) ?? [],
    categories: parseJson<Category[]>(r.categories_json) ?? [],
    versions: parseJson<PaperVersion[]>(r.versions_json) ?? [],
    comments: r.comments,
    journalRef: r.journal_ref,
    doi: r.doi,
    reportNo: r.report_no,
    license: r.license,
    publishedAt: r.published_at as IsoTimestamp | null,
    links: {
      abs: absUrl(id),
      pdf: pdfUrl(id),
      code: r.code_url,
      project: r.project_url,
    },
    githubStars: r.github_stars === null ? null : Number(r.github_stars),
    aiSummary: r.ai_summary,
    aiKeywords: parseJson<string[]>(r.ai_keywords_json) ?? [],
    enrichedAt: r.enriched_at as IsoTimestamp | null,
    starsObservedAt: r.stars_observed_at as IsoTimestamp | null,
    withdrawnAt: (r.withdrawn_at ?? null) as IsoTimestamp | null,
    sources: parseJson<SourceName[]>(r.sources_json) ?? [],
    firstSeenAt: r.first_seen_at as IsoTimestamp,
    lastUpdatedAt: r.last_updated_at as IsoTimestamp,
  };
}

export function authorRows(p: Paper): PaperAuthorsTable[] {
  return p.authors.map((name, position) => ({ arxiv_id: p.id, position, name, name_key: authorKey(name) }));
}

export function categoryRows(p: Paper): PaperCategoriesTable[] {
  return p.categories.map((category, i) => ({ arxiv_id: p.id, category, is_primary: i === 0 ? 1 : 0 }));
}

export function sourceRows(p: Paper): PaperSourcesTable[] {
  return p.sources.map((source) => ({ arxiv_id: p.id, source }));
}

export function dailyToRow(e: DailyEntry): DailyEntriesTable {
  return checkNoNul({
    day: e.date,
    arxiv_id: e.paperId,
    source: e.source,
    submitter_json: e.submitter ? JSON.stringify(e.submitter) : null,
    organization_json: e.organization ? JSON.stringify(e.organization) : null,
    media_json: e.media ? JSON.stringify(e.media) : null,
    upvotes: e.upvotes,
    num_comments: e.numComments,
    first_seen_at: e.firstSeenAt,
    last_updated_at: e.lastUpdatedAt,
  });
}

export function rowToDaily(r: DailyEntriesTable): DailyEntry {
  return {
    date: r.day as IsoDate,
    paperId: r.arxiv_id as ArxivId,
    source: r.source as SourceName,
    submitter: parseJson<Submitter>(r.submitter_json),
    organization: parseJson<Organization>(r.organization_json),
    ...(r.media_json ? { media: JSON.parse(r.media_json) as DailyMedia } : {}),
    upvotes: Number(r.upvotes),
    numComments: Number(r.num_comments),
    firstSeenAt: r.first_seen_at as IsoTimestamp,
    lastUpdatedAt: r.last_updated_at as IsoTimestamp,
  };
}
