import type { Kysely, Migration, MigrationProvider } from "kysely";
import { accountsMigrations } from "./accounts/index.ts";
import { communityMigrations } from "./community/index.ts";
import { digestsMigrations } from "./digests/index.ts";
import { listingsMigrations } from "./listings/index.ts";
import { mediaMigrations } from "./media/index.ts";
import { keyType } from "./migration-helpers.ts";
import { recommendMigrations } from "./recommend/index.ts";
import type { Database } from "./schema.ts";
import { searchMigrations } from "./search/index.ts";
import { searchBuildsMigrations } from "./search-builds/index.ts";
import { withdrawnMigration } from "./withdrawn-migration.ts";

/**
 * Versioned migrations, applied in name order on start (`paperboy migrate` runs them explicitly). Each is
 * written once with Kysely's schema builder so both dialects get the same tables; a migration that needs
 * dialect-specific SQL (full-text indexes, for instance) branches on `isPostgres(db)` (migration-helpers.ts).
 * Never edit a migration that has shipped: add a new one.
 */
const migrations: Record<string, Migration> = {
  "0001_papers": {
    async up(db: Kysely<unknown>) {
      const key = keyType(db);
      await db.schema
        .createTable("papers")
        .addColumn("arxiv_id", key, (c) => c.primaryKey())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("abstract", "text", (c) => c.notNull())
        .addColumn("authors_json", "text", (c) => c.notNull())
        .addColumn("categories_json", "text", (c) => c.notNull())
        .addColumn("primary_category", "text")
        .addColumn("versions_json", "text", (c) => c.notNull())
        .addColumn("latest_version", "integer", (c) => c.notNull())
        .addColumn("comments", "text")
        .addColumn("journal_ref", "text")
        .addColumn("doi", "text")
        .addColumn("report_no", "text")
        .addColumn("license", "text")
        .addColumn("published_at", "text")
        .addColumn("code_url", "text")
        .addColumn("project_url", "text")
        .addColumn("github_stars", "integer")
        .addColumn("ai_summary", "text")
        .addColumn("ai_keywords_json", "text", (c) => c.notNull())
        .addColumn("enriched_at", "text")
        .addColumn("stars_observed_at", "text")
        .addColumn("sources_json", "text", (c) => c.notNull())
        .addColumn("first_seen_at", "text", (c) => c.notNull())
        .addColumn("last_updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("papers_published_at").on("papers").column("published_at").execute();
      await db.schema
        .createIndex("papers_primary_category")
        .on("papers")
        .column("primary_category")
        .execute();

      await db.schema
        .createTable("paper_authors")
        .addColumn("arxiv_id", key, (c) => c.notNull().references("papers.arxiv_id").onDelete("cascade"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("name_key", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("paper_authors_pk", ["arxiv_id", "position"])
        .execute();
      await db.schema.createIndex("paper_authors_name_key").on("paper_authors").column("name_key").execute();

      await db.schema
        .createTable("paper_categories")
        .addColumn("arxiv_id", key, (c) => c.notNull().references("papers.arxiv_id").onDelete("cascade"))
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("is_primary", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("paper_categories_pk", ["arxiv_id", "category"])
        .execute();
      await db.schema
        .createIndex("paper_categories_category")
        .on("paper_categories")
        .column("category")
        .execute();

      await db.schema
        .createTable("paper_sources")
        .addColumn("arxiv_id", key, (c) => c.notNull().references("papers.arxiv_id").onDelete("cascade"))
        .addColumn("source", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("paper_sources_pk", ["arxiv_id", "source"])
        .execute();
      await db.schema.createIndex("paper_sources_source").on("paper_sources").column("source").execute();

      await db.schema
        .createTable("daily_entries")
        .addColumn("day", key, (c) => c.notNull())
        .addColumn("arxiv_id", key, (c) => c.notNull().references("papers.arxiv_id").onDelete("cascade"))
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("submitter_json", "text")
        .addColumn("organization_json", "text")
        .addColumn("upvotes", "integer", (c) => c.notNull())
        .addColumn("num_comments", "integer", (c) => c.notNull())
        .addColumn("first_seen_at", "text", (c) => c.notNull())
        .addColumn("last_updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("daily_entries_pk", ["day", "arxiv_id"])
        .execute();
      await db.schema.createIndex("daily_entries_arxiv_id").on("daily_entries").column("arxiv_id").execute();
      await db.schema
        .createIndex("daily_entries_day_upvotes")
        .on("daily_entries")
        .columns(["day", "upvotes"])
        .execute();
    },
  },
  "0002_sources_and_jobs": {
    async up(db: Kysely<unknown>) {
      const key = keyType(db);
      await db.schema
        .createTable("source_state")
        .addColumn("source", key, (c) => c.primaryKey())
        .addColumn("cursor_json", "text")
        .addColumn("last_attempt_at", "text")
        .addColumn("last_success_at", "text")
        .addColumn("last_error", "text")
        .addColumn("last_error_at", "text")
        .addColumn("failing_since", "text")
        .addColumn("newest_item_at", "text")
        .addColumn("items_synced", "integer", (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable("jobs")
        .addColumn("id", key, (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("payload_json", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("max_attempts", "integer", (c) => c.notNull())
        .addColumn("run_at", "text", (c) => c.notNull())
        .addColumn("locked_by", "text")
        .addColumn("locked_until", "text")
        .addColumn("last_error", "text")
        .addColumn("dedupe_key", "text", (c) => c.unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .execute();
      await db.schema.createIndex("jobs_state_run_at").on("jobs").columns(["state", "run_at"]).execute();

      await db.schema
        .createTable("star_history")
        .addColumn("repo", key, (c) => c.notNull())
        .addColumn("observed_at", "text", (c) => c.notNull())
        .addColumn("stars", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("star_history_pk", ["repo", "observed_at"])
        .execute();
      await db.schema.createIndex("papers_code_url").on("papers").column("code_url").execute();

      await db.schema
        .createTable("announcements")
        .addColumn("day", key, (c) => c.notNull())
        .addColumn("category", key, (c) => c.notNull())
        .addColumn("arxiv_id", key, (c) => c.notNull().references("papers.arxiv_id").onDelete("cascade"))
        .addColumn("announce_type", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("announcements_pk", ["day", "category", "arxiv_id"])
        .execute();
    },
  },
};

/** Lookup indexes a bulk load may drop and rebuild; `migrate()` makes sure they exist. */
export async function ensureLookupIndexes(db: Kysely<unknown> | Kysely<Database>): Promise<void> {
  await (db as Kysely<unknown>).schema
    .createIndex("paper_authors_name_key")
    .ifNotExists()
    .on("paper_authors")
    .column("name_key")
    .execute();
}

export async function dropDeferrableIndexes(db: Kysely<Database>): Promise<void> {
  await db.schema.dropIndex("paper_authors_name_key").ifExists().execute();
}

/**
 * The store modules' migrations join the core ones. Numbers are reserved per module so they never clash:
 * search 0003, listings 0004, accounts 0005, community 0006, digests 0007; later changes take 0008 onwards (recommend: 0011).
 */
const allMigrations: Record<string, Migration> = {
  ...migrations,
  ...searchMigrations,
  ...listingsMigrations,
  ...accountsMigrations,
  ...communityMigrations,
  ...digestsMigrations,
  ...mediaMigrations,
  ...recommendMigrations,
  ...searchBuildsMigrations,
  "0018_withdrawn": withdrawnMigration,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return allMigrations;
  },
};

export const LATEST_MIGRATION = Object.keys(allMigrations).sort().at(-1) ?? "";
