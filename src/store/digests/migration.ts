import type { Kysely, Migration } from "kysely";
import { isPostgres, keyType } from "../migration-helpers.ts";

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

/** The columns 0009 moves out of `digest_subscriptions`, and the table it moves them into. */
interface TargetsMove {
  digest_subscriptions: {
    id: string;
    created_at: string;
    slack_url: string | null;
    webhook_url: string | null;
    webhook_secret: string | null;
  };
  digest_subscription_targets: {
    subscription_id: string;
    kind: string;
    config_json: string;
    secret: string | null;
    created_at: string;
  };
}

/** Rows copied per insert (5 parameters each: well under either dialect's limit). */
const MOVE_BATCH = 100;

async function moveTargets(db: Kysely<TargetsMove>): Promise<void> {
  const key = keyType(db as Kysely<unknown>);
  await db.schema
    .createTable("digest_subscription_targets")
    .addColumn("subscription_id", key, (c) =>
      c.notNull().references("digest_subscriptions.id").onDelete("cascade"),
    )
    .addColumn("kind", key, (c) => c.notNull())
    .addColumn("config_json", "text", (c) => c.notNull())
    .addColumn("secret", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("digest_subscription_targets_pk", ["subscription_id", "kind"])
    .execute();

  const old = await db
    .selectFrom("digest_subscriptions")
    .select(["id", "created_at", "slack_url", "webhook_url", "webhook_secret"])
    .where((eb) => eb.or([eb("slack_url", "is not", null), eb("webhook_url", "is not", null)]))
    .orderBy("id")
    .execute();
  const targets: TargetsMove["digest_subscription_targets"][] = [];
  for (const s of old) {
    // A carried-over target dates from its subscription: when it was set is not known.
    if (s.slack_url) {
      targets.push({
        subscription_id: s.id,
        kind: "slack",
        config_json: JSON.stringify({ url: s.slack_url }),
        secret: null,
        created_at: s.created_at,
      });
    }
    if (s.webhook_url) {
      targets.push({
        subscription_id: s.id,
        kind: "webhook",
        config_json: JSON.stringify({ url: s.webhook_url }),
        secret: s.webhook_secret,
        created_at: s.created_at,
      });
    }
  }
  for (let i = 0; i < targets.length; i += MOVE_BATCH) {
    await db
      .insertInto("digest_subscription_targets")
      .values(targets.slice(i, i + MOVE_BATCH))
      .execute();
  }

  // No index, constraint, trigger or view names these columns, so SQLite (3.35+) drops them in place.
  for (const column of ["slack_url", "webhook_url", "webhook_secret"]) {
    await db.schema.alterTable("digest_subscriptions").dropColumn(column).execute();
  }
}

/**
 * Slack and webhook targets move from columns of `digest_subscriptions` to `digest_subscription_targets`
 * (one row per subscription and channel kind, settings as JSON), so a new channel needs no new column. Every
 * URL and webhook secret is carried over, then the old columns are dropped. PostgreSQL runs each migration
 * in a transaction; on SQLite Kysely does not, so this one opens its own: a failure leaves the old schema.
 */
export const digestTargetsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const typed = db as Kysely<TargetsMove>;
    if (isPostgres(db)) await moveTargets(typed);
    else await typed.transaction().execute(moveTargets);
  },
};
