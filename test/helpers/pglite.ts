import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import {
  Kysely,
  type LogEvent,
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from "kysely";
import type { KyselyStore } from "../../src/store/kysely-store.ts";
import { postgresStoreOn } from "../../src/store/postgres.ts";
import type { Database } from "../../src/store/schema.ts";

/**
 * PostgreSQL with pgvector in process (PGlite, WASM), for the SQL of `PgVectorIndex`: the PostgreSQL server of
 * the tests and CI has no pgvector. PGlite has one session, so this pool hands out one client at a time
 * (a pool of one): a transaction's statements are never interleaved with another caller's.
 */
export interface PgliteDatabase {
  pg: PGlite;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** A fresh in-memory database; `log` sees every statement Kysely runs (to EXPLAIN the very SQL used). */
export async function createPgliteDatabase(
  options: { pgvector?: boolean; log?: (sql: string, parameters: readonly unknown[]) => void } = {},
): Promise<PgliteDatabase> {
  const pg = await PGlite.create(options.pgvector === false ? {} : { extensions: { vector } });
  const log = options.log;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: singleClientPool(pg) }),
    ...(log ? { log: (event: LogEvent) => log(event.query.sql, event.query.parameters) } : {}),
  });
  return {
    pg,
    db,
    async close() {
      await db.destroy();
      await pg.close();
    },
  };
}

/** A `KyselyStore` on PGlite, migrated: the PostgreSQL store, pgvector included. */
export async function openPgliteStore(): Promise<{ store: KyselyStore; pg: PGlite }> {
  const { pg, db } = await createPgliteDatabase();
  const store = postgresStoreOn(db);
  await store.migrate();
  return { store, pg };
}

function singleClientPool(pg: PGlite): PostgresPool {
  let queue: Promise<void> = Promise.resolve();
  return {
    connect() {
      // Each client waits for the one before it to be released.
      const previous = queue;
      let release = () => {};
      queue = new Promise<void>((resolve) => {
        release = resolve;
      });
      return previous.then(() => new PgliteClient(pg, release));
    },
    async end() {},
  };
}

class PgliteClient implements PostgresPoolClient {
  constructor(
    private readonly pg: PGlite,
    readonly release: () => void,
  ) {}

  query<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    text: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof text !== "string") throw new Error("cursors are not supported on PGlite");
    return this.pg.query<R>(text, [...parameters]).then((result) => ({
      command: commandOf(text),
      rowCount: result.affectedRows ?? result.rows.length,
      rows: result.rows,
    }));
  }
}

type Command = PostgresQueryResult<unknown>["command"];

/** The statement's command as `pg` reports it (Kysely reads affected-row counts only for writes). */
function commandOf(text: string): Command {
  const word = /^\s*([a-z]+)/i.exec(text)?.[1]?.toUpperCase();
  const known: readonly string[] = ["INSERT", "UPDATE", "DELETE", "MERGE", "COMMIT", "ROLLBACK"];
  return word !== undefined && known.includes(word) ? (word as Command) : "SELECT";
}
