import type { Kysely, Migration } from "kysely";
import { keyType } from "../migration-helpers.ts";

/** Subscriptions, deliveries (the exactly-once ledger), suggestions already made, and dismissals. */
export const digestsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const key = keyType(db);
    await db.schema
      .createTable("digest_subscriptions")
      .addColumn("id", key, (c) => c.primaryKey())
      .addColumn("email", key, (c) => c.notNull())
      .addColumn("user_id", key, (c) => c.references("users.id").onDelete("cascade"))
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("frequency", "text", (c) => c.notNull())
      .addColumn("hour", "integer", (c) => c.notNull())
      .addColumn("weekday", "integer", (c) => c.notNull())
      .addColumn("time_zone", "text", (c) => c.notNull())
      .addColumn("contents_json", "text", (c) => c.notNull())
      .addColumn("slack_url", "text")
      .addColumn("webhook_url", "text")
      .addColumn("webhook_secret", "text")
      .addColumn("email_enabled", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("hard_failures", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("last_failure", "text")
      .addColumn("next_due_at", key)
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("confirmed_at", "text")
      .addColumn("unsubscribed_at", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("digest_subscriptions_due")
      .on("digest_subscriptions")
      .columns(["state", "next_due_at"])
      .execute();
    await db.schema
      .createIndex("digest_subscriptions_email")
      .on("digest_subscriptions")
      .column("email")
      .execute();
    await db.schema
      .createIndex("digest_subscriptions_user")
      .on("digest_subscriptions")
      .column("user_id")
      .execute();

    await db.schema
      .createTable("digest_deliveries")
      .addColumn("subscription_id", key, (c) =>
        c.notNull().references("digest_subscriptions.id").onDelete("cascade"),
      )
      .addColumn("period_key", key, (c) => c.notNull())
      .addColumn("channel", key, (c) => c.notNull())
      .addColumn("state", key, (c) => c.notNull())
      .addColumn("due_at", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", key, (c) => c.notNull())
      .addColumn("locked_by", "text")
      .addColumn("locked_until", key)
      .addColumn("message_id", "text", (c) => c.notNull())
      .addColumn("content_json", "text")
      .addColumn("reason", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("sent_at", "text")
      .addPrimaryKeyConstraint("digest_deliveries_pk", ["subscription_id", "period_key", "channel"])
      .execute();
    await db.schema
      .createIndex("digest_deliveries_work")
      .on("digest_deliveries")
      .columns(["state", "next_attempt_at"])
      .execute();

    await db.schema
      .createTable("digest_suggestions")
      .addColumn("user_id", key, (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("arxiv_id", key, (c) => c.notNull())
      .addColumn("period_key", "text", (c) => c.notNull())
      .addColumn("suggested_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("digest_suggestions_pk", ["user_id", "arxiv_id"])
      .execute();

    await db.schema
      .createTable("digest_dismissals")
      .addColumn("user_id", key, (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("arxiv_id", key, (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("digest_dismissals_pk", ["user_id", "arxiv_id"])
      .execute();
  },
};
