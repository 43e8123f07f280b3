import type { Kysely, Migration } from "kysely";
import { keyType } from "../migration-helpers.ts";

/** Thumbs on recommendations and the For-you ledger of papers already shown (see tables.ts). */
export const recommendationLedgerMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const key = keyType(db);
    await db.schema
      .createTable("recommendation_thumbs")
      .addColumn("user_id", key, (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("arxiv_id", key, (c) => c.notNull())
      .addColumn("thumb", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("recommendation_thumbs_pk", ["user_id", "arxiv_id"])
      .execute();
    await db.schema
      .createTable("recommendation_shown")
      .addColumn("user_id", key, (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("arxiv_id", key, (c) => c.notNull())
      .addColumn("day", "text", (c) => c.notNull())
      .addColumn("shown_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("recommendation_shown_pk", ["user_id", "arxiv_id"])
      .execute();
  },
};
