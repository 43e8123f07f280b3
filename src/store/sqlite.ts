import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { KyselyStore } from "./kysely-store.ts";
import type { Database as Schema } from "./schema.ts";

export interface SqliteOptions {
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

/**
 * The embedded default: one SQLite file in WAL mode, so readers never block the single writer and several
 * processes (a server and an import, say) can share it.
 */
export function openSqliteStore(path: string, options: SqliteOptions = {}): KyselyStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 30_000}`);
  if (path !== ":memory:") database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  return new KyselyStore(db, {
    dialect: "sqlite",
    // SQLite's own limit is 32,766 bound parameters per statement.
    maxParams: 30_000,
    skipLocked: false,
    async beginClaim(conn) {
      await sql`begin immediate`.execute(conn);
    },
    async beginWrite(conn) {
      // IMMEDIATE takes the write lock up front, so a read-then-write transaction cannot fail half way
      // because another process wrote in between.
      await sql`begin immediate`.execute(conn);
    },
  });
}
