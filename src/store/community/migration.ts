import type { Kysely, Migration } from "kysely";
import { keyType } from "../migration-helpers.ts";

/**
 * Votes, comments, libraries, hidden papers and submissions. Rows of a member go when the member is deleted
 * (accounts' `users`, migration 0005); rows of a paper go with the paper. A reply keeps no foreign key to its
 * parent: comments are never erased, only marked deleted or removed, so a thread never loses its shape.
 */
export const communityMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const key = keyType(db);
    const paperRef = "papers.arxiv_id";
    const userRef = "users.id";

    await db.schema
      .createTable("votes")
      .addColumn("arxiv_id", key, (c) => c.notNull().references(paperRef).onDelete("cascade"))
      .addColumn("user_id", key, (c) => c.notNull().references(userRef).onDelete("cascade"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("votes_pk", ["arxiv_id", "user_id"])
      .execute();
    await db.schema.createIndex("votes_user_id").on("votes").columns(["user_id", "created_at"]).execute();

    await db.schema
      .createTable("community_counts")
      .addColumn("arxiv_id", key, (c) => c.primaryKey().references(paperRef).onDelete("cascade"))
      .addColumn("votes", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("comments", "integer", (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable("comments")
      .addColumn("id", key, (c) => c.primaryKey())
      .addColumn("arxiv_id", key, (c) => c.notNull().references(paperRef).onDelete("cascade"))
      .addColumn("parent_id", key)
      .addColumn("author_id", key, (c) => c.notNull().references(userRef).onDelete("cascade"))
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("edited_at", "text")
      .addColumn("deleted_at", "text")
      .addColumn("removed_at", "text")
      .addColumn("removed_by", key)
      .execute();
    await db.schema
      .createIndex("comments_arxiv_id")
      .on("comments")
      .columns(["arxiv_id", "created_at"])
      .execute();
    await db.schema.createIndex("comments_author_id").on("comments").column("author_id").execute();

    await db.schema
      .createTable("library_items")
      .addColumn("user_id", key, (c) => c.notNull().references(userRef).onDelete("cascade"))
      .addColumn("arxiv_id", key, (c) => c.notNull().references(paperRef).onDelete("cascade"))
      .addColumn("saved_at", "text", (c) => c.notNull())
      .addColumn("read_at", "text")
      .addPrimaryKeyConstraint("library_items_pk", ["user_id", "arxiv_id"])
      .execute();
    await db.schema
      .createIndex("library_items_saved_at")
      .on("library_items")
      .columns(["user_id", "saved_at"])
      .execute();

    await db.schema
      .createTable("library_tags")
      .addColumn("user_id", key, (c) => c.notNull())
      .addColumn("arxiv_id", key, (c) => c.notNull())
      .addColumn("tag", key, (c) => c.notNull())
      .addPrimaryKeyConstraint("library_tags_pk", ["user_id", "tag", "arxiv_id"])
      .addForeignKeyConstraint(
        "library_tags_item_fk",
        ["user_id", "arxiv_id"],
        "library_items",
        ["user_id", "arxiv_id"],
        (fk) => fk.onDelete("cascade"),
      )
      .execute();
    await db.schema
      .createIndex("library_tags_item")
      .on("library_tags")
      .columns(["user_id", "arxiv_id"])
      .execute();

    await db.schema
      .createTable("hidden_papers")
      .addColumn("arxiv_id", key, (c) => c.primaryKey().references(paperRef).onDelete("cascade"))
      .addColumn("hidden_by", key, (c) => c.notNull())
      .addColumn("hidden_at", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .execute();

    await db.schema
      .createTable("submissions")
      .addColumn("arxiv_id", key, (c) => c.primaryKey())
      .addColumn("user_id", key, (c) => c.notNull().references(userRef).onDelete("cascade"))
      .addColumn("submitted_at", "text", (c) => c.notNull())
      .addColumn("day", key, (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("submissions_user_id")
      .on("submissions")
      .columns(["user_id", "submitted_at"])
      .execute();
  },
};
