/**
 * Migration 0009 on a database with data: subscriptions saved under the old schema (Slack and webhook URLs as
 * columns of `digest_subscriptions`) keep every target and secret as rows of `digest_subscription_targets`,
 * the old columns are gone, and the ledger plans one delivery per (subscription, period, channel) from them.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { migrationProvider } from "../../src/store/migrations.ts";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import type { Store } from "../../src/store/store.ts";
import { rawRows } from "../helpers/raw-db.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

function rawDb(kind: StoreKind, url: string): Kysely<unknown> {
  return kind === "sqlite"
    ? new Kysely({ dialect: new SqliteDialect({ database: new Database(url) }) })
    : new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
}

const openStore = (kind: StoreKind, url: string): Store =>
  kind === "sqlite" ? openSqliteStore(url) : openPostgresStore(url);

const CONTENTS = JSON.stringify({
  trending: 3,
  searches: [],
  categories: [],
  authors: [],
  recommendations: false,
});

/** A subscription row as 0007 made them, created on `createdAt`, due at 2026-11-26 08:00 UTC. */
function oldRow(
  id: string,
  createdAt: string,
  channels: { email?: boolean; slack?: string; webhook?: string; secret?: string },
) {
  return {
    id,
    email: `${id}@example.org`,
    user_id: null,
    state: "active",
    frequency: "daily",
    hour: 8,
    weekday: 1,
    time_zone: "UTC",
    contents_json: CONTENTS,
    slack_url: channels.slack ?? null,
    webhook_url: channels.webhook ?? null,
    webhook_secret: channels.secret ?? null,
    email_enabled: channels.email === false ? 0 : 1,
    hard_failures: 0,
    last_failure: null,
    next_due_at: "2026-11-26T08:00:00.000Z",
    created_at: createdAt,
    confirmed_at: "2026-11-01T10:00:00.000Z",
    unsubscribed_at: null,
    updated_at: "2026-11-20T10:00:00.000Z",
  };
}

const HOOK = "https://example.org/hook?token=a'b\"c";
const SLACK = "https://hooks.slack.com/services/T0/B0/xyz";

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`digest targets migration (0009) with data: ${kind}`, () => {
    const opened: { db?: TestDatabase; store?: Store; raw?: Kysely<unknown> } = {};
    after(async () => {
      await opened.raw?.destroy();
      await opened.store?.close();
      await opened.db?.drop();
    });

    test("every Slack and webhook URL and secret becomes a target; the columns go; deliveries follow", async () => {
      const db = await createTestDatabase(kind);
      opened.db = db;
      const raw = rawDb(kind, db.url);
      opened.raw = raw;
      const migrator = new Migrator({ db: raw, provider: migrationProvider });
      const { error } = await migrator.migrateTo("0008_api_token_scopes");
      assert.equal(error, undefined);

      await (raw as Kysely<{ digest_subscriptions: ReturnType<typeof oldRow> }>)
        .insertInto("digest_subscriptions")
        .values([
          oldRow("both", "2026-11-04T10:00:00.000Z", {
            email: false,
            slack: SLACK,
            webhook: HOOK,
            secret: "secret-of-both",
          }),
          oldRow("slack", "2026-11-05T10:00:00.000Z", { slack: SLACK }),
          oldRow("hooked", "2026-11-06T10:00:00.000Z", { webhook: `${HOOK}&2`, secret: "secret-2" }),
          oldRow("mail", "2026-11-07T10:00:00.000Z", {}),
        ])
        .execute();

      const store = openStore(kind, db.url);
      opened.store = store;
      // 0009, then any later module's migrations (search builds 0017, ...).
      const applied = await store.migrate();
      assert.equal(applied[0], "0009_digest_targets");
      assert.ok(applied.slice(1).every((name) => name > "0009"));

      const targets = async (id: string) =>
        (await store.digests.get(id))?.targets.map((t) => [t.kind, t.config, t.secret, t.createdAt]);
      assert.deepEqual(await targets("both"), [
        ["slack", { url: SLACK }, null, "2026-11-04T10:00:00.000Z"],
        ["webhook", { url: HOOK }, "secret-of-both", "2026-11-04T10:00:00.000Z"],
      ]);
      assert.deepEqual(await targets("slack"), [["slack", { url: SLACK }, null, "2026-11-05T10:00:00.000Z"]]);
      assert.deepEqual(await targets("hooked"), [
        ["webhook", { url: `${HOOK}&2` }, "secret-2", "2026-11-06T10:00:00.000Z"],
      ]);
      assert.deepEqual(await targets("mail"), []);
      assert.equal((await rawRows(db, "select * from digest_subscription_targets")).length, 4);

      const columns =
        kind === "sqlite"
          ? (await rawRows(db, "select name from pragma_table_info('digest_subscriptions')")).map(
              (r) => r.name,
            )
          : (
              await rawRows(
                db,
                "select column_name as name from information_schema.columns where table_name = 'digest_subscriptions'",
              )
            ).map((r) => r.name);
      assert.ok(columns.includes("email_enabled"));
      for (const gone of ["slack_url", "webhook_url", "webhook_secret"])
        assert.ok(!columns.includes(gone), gone);

      await store.digests.plan(new Date("2026-11-26T09:00:00Z"));
      const planned = (await store.digests.deliveries({ state: "pending" }))
        .map((d) => `${d.subscriptionId}/${d.periodKey}/${d.channel}`)
        .sort();
      assert.deepEqual(planned, [
        "both/2026-11-26/slack",
        "both/2026-11-26/webhook",
        "hooked/2026-11-26/email",
        "hooked/2026-11-26/webhook",
        "mail/2026-11-26/email",
        "slack/2026-11-26/email",
        "slack/2026-11-26/slack",
      ]);

      // Keeping a target keeps its secret; dropping one removes its row; deleting the subscription, the rest.
      await store.digests.update("both", {
        targets: [{ kind: "webhook", config: { url: HOOK }, withSecret: true }],
      });
      assert.deepEqual(await targets("both"), [
        ["webhook", { url: HOOK }, "secret-of-both", "2026-11-04T10:00:00.000Z"],
      ]);
      await sql`delete from digest_subscriptions where id = 'hooked'`.execute(raw);
      assert.deepEqual(
        (
          await rawRows(
            db,
            "select subscription_id, kind from digest_subscription_targets order by subscription_id, kind",
          )
        ).map((r) => [r.subscription_id, r.kind]),
        [
          ["both", "webhook"],
          ["slack", "slack"],
        ],
      );
    });
  });
}
