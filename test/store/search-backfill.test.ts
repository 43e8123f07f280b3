import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { type IsoTimestamp, mergePaper, type PaperRecord } from "../../src/core/index.ts";
import { migrationProvider } from "../../src/store/migrations.ts";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { authorRows, paperToRow } from "../../src/store/rows.ts";
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

/** The columns `table` has in the database as migrated so far. */
async function columnsOf(kind: StoreKind, raw: Kysely<unknown>, table: string): Promise<Set<string>> {
  const rows =
    kind === "sqlite"
      ? (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(raw)).rows
      : (
          await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_name = ${table}`.execute(raw)
        ).rows;
  return new Set(rows.map((r) => r.name));
}

/**
 * Stores papers as a release from before the index did: today's rows cut to the columns the early schema
 * has (today's ingest writes columns later migrations added, so it cannot run on an early schema).
 */
async function storeAsEarlyRelease(kind: StoreKind, raw: Kysely<unknown>, records: PaperRecord[]) {
  const now = "2024-05-25T00:00:00.000Z" as IsoTimestamp;
  const columns = await columnsOf(kind, raw, "papers");
  for (const record of records) {
    const paper = mergePaper(null, record, now).paper;
    const row = Object.fromEntries(Object.entries(paperToRow(paper)).filter(([c]) => columns.has(c)));
    await raw
      .insertInto("papers" as never)
      .values(row as never)
      .execute();
    await raw
      .insertInto("paper_authors" as never)
      .values(authorRows(paper) as never)
      .execute();
  }
}

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

      const old = buildArxivRecord({
        id: id("2301.00001"),
        title: "Sparse autoencoders for interpretability",
      });
      const other = buildArxivRecord({ id: id("2301.00002"), title: "Graph neural networks at scale" });
      await storeAsEarlyRelease(kind, raw, [old, other]);

      const store = openStore(kind, db.url);
      opened.store = store;

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
