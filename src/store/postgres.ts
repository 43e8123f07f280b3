import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { type Logger, silentLogger } from "../log.ts";
import { KyselyStore } from "./kysely-store.ts";
import type { Database as Schema } from "./schema.ts";

export interface PostgresOptions {
  poolSize?: number;
  logger?: Logger;
}

/** Any constant works; it names Paperboy's write lock among the server's advisory locks. */
const WRITE_LOCK_KEY = 0x7061_7065;

/** The scale-out store: the same schema and code as SQLite, on a PostgreSQL server. */
export function openPostgresStore(url: string, options: PostgresOptions = {}): KyselyStore {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle pooled connection dropped by the server (a restart, a failover, an admin) must not crash the
  // process: the pool replaces it and the next query reconnects.
  pool.on("error", (error) => {
    (options.logger ?? silentLogger).warn("PostgreSQL connection lost", { error: error.message });
  });
  return postgresStoreOn(new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }));
}

/** The store on any Kysely connection to PostgreSQL (a `pg` pool above; tests also use PGlite). */
export function postgresStoreOn(db: Kysely<Schema>): KyselyStore {
  return new KyselyStore(db, {
    dialect: "postgres",
    maxParams: 60_000,
    skipLocked: true,
    async beginClaim(conn) {
      await sql`begin`.execute(conn);
    },
    async beginWrite(conn) {
      await sql`begin`.execute(conn);
      // Ingests read, merge in code, then write; the transaction-scoped advisory lock makes concurrent
      // ingests (other processes or replicas) take turns, so none can insert a paper another just inserted.
      await sql`select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`.execute(conn);
    },
  });
}
