import type { AccountsTables } from "./accounts/tables.ts";
import type { CommunityTables } from "./community/tables.ts";
import type { DigestsTables } from "./digests/tables.ts";
import type { ListingsTables } from "./listings/tables.ts";
import type { MediaTables } from "./media/tables.ts";
import type { RecommendTables } from "./recommend/tables.ts";
import type { SearchTables } from "./search/tables.ts";
import type { SearchBuildsTables } from "./search-builds/tables.ts";

/**
 * Table shapes as Kysely sees them. Both dialects store the same columns: timestamps as ISO 8601 text (which
 * sorts chronologically), list-valued fields as JSON text, so that one code path serves SQLite and PostgreSQL.
 * The child tables (authors, categories, sources) exist for lookups; the papers row alone rebuilds a Paper.
 */
export interface PapersTable {
  arxiv_id: string;
  title: string;
  abstract: string;
  authors_json: string;
  categories_json: string;
  primary_category: string | null;
  versions_json: string;
  latest_version: number;
  comments: string | null;
  journal_ref: string | null;
  doi: string | null;
  report_no: string | null;
  license: string | null;
  published_at: string | null;
  code_url: string | null;
  project_url: string | null;
  github_stars: number | null;
  ai_summary: string | null;
  ai_keywords_json: string;
  enriched_at: string | null;
  stars_observed_at: string | null;
  /** Migration 0018: when the paper was withdrawn (null: it is not). */
  withdrawn_at: string | null;
  sources_json: string;
  first_seen_at: string;
  last_updated_at: string;
}

export interface PaperAuthorsTable {
  arxiv_id: string;
  position: number;
  name: string;
  name_key: string;
}

export interface PaperCategoriesTable {
  arxiv_id: string;
  category: string;
  is_primary: number;
}

export interface PaperSourcesTable {
  arxiv_id: string;
  source: string;
}

export interface DailyEntriesTable {
  day: string;
  arxiv_id: string;
  source: string;
  submitter_json: string | null;
  organization_json: string | null;
  /** DailyMedia as JSON (since 0010_media); null when the source named no pictures. */
  media_json: string | null;
  upvotes: number;
  num_comments: number;
  first_seen_at: string;
  last_updated_at: string;
}

export interface SourceStateTable {
  source: string;
  cursor_json: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  failing_since: string | null;
  newest_item_at: string | null;
  items_synced: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload_json: string;
  state: string;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface StarHistoryTable {
  repo: string;
  observed_at: string;
  stars: number;
}

export interface AnnouncementsTable {
  day: string;
  category: string;
  arxiv_id: string;
  announce_type: string;
  version: number;
}

/** Every table; each store module (search, listings, accounts, community) adds its own. */
export interface Database
  extends SearchTables,
    ListingsTables,
    AccountsTables,
    CommunityTables,
    DigestsTables,
    MediaTables,
    RecommendTables,
    SearchBuildsTables {
  papers: PapersTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  paper_sources: PaperSourcesTable;
  daily_entries: DailyEntriesTable;
  source_state: SourceStateTable;
  jobs: JobsTable;
  star_history: StarHistoryTable;
  announcements: AnnouncementsTable;
}
