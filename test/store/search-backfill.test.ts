import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { migrationProvider } from "../../src/store/migrations.ts";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, id } from "../helpers/factories.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

/** A Kysely handle on the test database, for steps the Store does not offer (partial migration, deletes). */
function rawDb(kind: StoreKind, url: string): Kysely<unknown> {
  return kind === "sqlite"
    ? new Kysely({ dialect: new SqliteDialect({ database: new Database(url) }) })
    : new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
}

const openStore = (kind: StoreKind, url: string): Store =>
  kind === "sqlite" ? openSqliteStore(url) : openPostgresStore(url);

const ids = async (store: Store, text: string) =>
  (await store.search.search({ text })).hits.map((h) => h.paper.id as string);

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`search index migration and triggers: ${kind}`, () => {
    const opened: { db?: TestDatabase; store?: Store; raw?: Kysely<unknown> } = {};
    after(async () => {
      await opened.raw?.destroy();
      await opened.store?.close();
      await opened.db?.drop();
    });

    test("papers stored before the index existed are found once it is built; deleted ones no more", async () => {
      const db = await createTestDatabase(kind);
      opened.db = db;
      // createTestDatabase only names the database (and PostgreSQL creates it empty); nothing is migrated yet.
      const raw = rawDb(kind, db.url);
      opened.raw = raw;
      const migrator = new Migrator({ db: raw, provider: migrationProvider });
      const { error } = await migrator.migrateTo("0002_sources_and_jobs");
      assert.equal(error, undefined);

      const store = openStore(kind, db.url);
      opened.store = store;
      const old = buildArxivRecord({
        id: id("2301.00001"),
        title: "Sparse autoencoders for interpretability",
      });
      const other = buildArxivRecord({ id: id("2301.00002"), title: "Graph neural networks at scale" });
      await store.ingest({ papers: [old, other] });

      assert.ok((await store.migrate()).includes("0003_search"));
      assert.deepEqual(await ids(store, "autoencoders"), [old.id]);
      assert.deepEqual(await ids(store, "graph author:ge"), [other.id]);

      const fresh = buildArxivRecord({ id: id("2301.00003"), title: "Sparse probing of language models" });
      await store.ingest({ papers: [fresh] });
      assert.deepEqual(new Set(await ids(store, "sparse")), new Set([old.id, fresh.id]));

      await sql`delete from papers where arxiv_id = ${old.id}`.execute(raw);
      assert.deepEqual(await ids(store, "sparse"), [fresh.id]);
      assert.deepEqual(await ids(store, "autoencoders"), []);
      const table = kind === "sqlite" ? "paper_search_docs" : "paper_search";
      const left = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(raw);
      assert.equal(Number(left.rows[0]?.n), 2, "the index forgets the deleted paper");
    });
  });
}
