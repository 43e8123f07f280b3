import type { Kysely, Migration } from "kysely";
import { isPostgres, keyType } from "../migration-helpers.ts";

/**
 * Search engine builds published into the database for replicas without a shared disk: the files in chunks,
 * and which build is current. Also an index on papers' update time, which the search delta reads.
 */
export const searchBuildsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const key = keyType(db);
    await db.schema
      .createTable("search_build_chunks")
      .addColumn("build_id", key, (c) => c.notNull())
      .addColumn("file", key, (c) => c.notNull())
      .addColumn("seq", "integer", (c) => c.notNull())
      .addColumn("bytes", isPostgres(db) ? "bytea" : "blob", (c) => c.notNull())
      .addPrimaryKeyConstraint("search_build_chunks_pk", ["build_id", "file", "seq"])
      .execute();
    await db.schema
      .createTable("search_build_current")
      .addColumn("slot", "integer", (c) => c.primaryKey())
      .addColumn("build_id", key, (c) => c.notNull())
      .addColumn("manifest_json", "text", (c) => c.notNull())
      .addColumn("published_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("papers_last_updated_at")
      .ifNotExists()
      .on("papers")
      .columns(["last_updated_at", "arxiv_id"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("papers_last_updated_at").ifExists().execute();
    await db.schema.dropTable("search_build_current").ifExists().execute();
    await db.schema.dropTable("search_build_chunks").ifExists().execute();
  },
};
