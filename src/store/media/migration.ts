import type { Kysely, Migration } from "kysely";
import { isPostgres, keyType } from "../migration-helpers.ts";

/** The pictures a daily entry names (`daily_entries.media_json`) and the fetched copies (`media_images`). */
export const mediaMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const key = keyType(db);
    await db.schema.alterTable("daily_entries").addColumn("media_json", "text").execute();
    await db.schema
      .createTable("media_images")
      .addColumn("url", key, (c) => c.primaryKey())
      .addColumn("sha256", key)
      .addColumn("ext", "text")
      .addColumn("content_type", "text")
      .addColumn("bytes", isPostgres(db) ? "bytea" : "blob")
      .addColumn("size", "integer")
      .addColumn("error", "text")
      .addColumn("fetched_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("media_images_sha256").on("media_images").column("sha256").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("media_images").execute();
    await db.schema.alterTable("daily_entries").dropColumn("media_json").execute();
  },
};
