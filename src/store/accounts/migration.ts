import type { Kysely, Migration } from "kysely";
import { keyType } from "../migration-helpers.ts";

/**
 * API tokens say what they may do: `read` (GET only) or `write`. Tokens made before scopes existed could do
 * everything, so they keep `write`.
 */
export const apiTokenScopesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("api_tokens")
      .addColumn("scope", "text", (c) => c.notNull().defaultTo("write"))
      .execute();
  },
};

/** Users, sessions, one-time tokens (verification, reset), API tokens and rate-limit counters. */
export const accountsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const key = keyType(db);
    await db.schema
      .createTable("users")
      .addColumn("id", key, (c) => c.primaryKey())
      .addColumn("email", key, (c) => c.notNull().unique())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("verified_at", "text")
      .addColumn("suspended_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("users_created_at").on("users").column("created_at").execute();

    await db.schema
      .createTable("sessions")
      .addColumn("token_hash", key, (c) => c.primaryKey())
      .addColumn("user_id", key, (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("csrf_token", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("renewed_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("sessions_user_id").on("sessions").column("user_id").execute();
    await db.schema.createIndex("sessions_expires_at").on("sessions").column("expires_at").execute();

    await db.schema
      .createTable("one_time_tokens")
      .addColumn("token_hash", key, (c) => c.primaryKey())
      .addColumn("user_id", key, (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("used_at", "text")
      .execute();
    await db.schema
      .createIndex("one_time_tokens_user_id")
      .on("one_time_tokens")
      .columns(["user_id", "purpose"])
      .execute();

    await db.schema
      .createTable("api_tokens")
      .addColumn("id", key, (c) => c.primaryKey())
      .addColumn("token_hash", key, (c) => c.notNull().unique())
      .addColumn("user_id", key, (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("last_used_at", "text")
      .addColumn("revoked_at", "text")
      .execute();
    await db.schema.createIndex("api_tokens_user_id").on("api_tokens").column("user_id").execute();

    await db.schema
      .createTable("rate_limits")
      .addColumn("key", key, (c) => c.primaryKey())
      .addColumn("count", "integer", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("rate_limits_expires_at").on("rate_limits").column("expires_at").execute();
  },
};
