import { type Kysely, PostgresAdapter, sql } from "kysely";

/** Whether a migration runs on PostgreSQL (else SQLite); for the few statements that differ. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Text keys compare byte-wise on both dialects (PostgreSQL's default collation would sort `hep-th/...` ids
 * differently from SQLite), so keyset pagination and exports come out in the same order everywhere.
 */
export function keyType(db: Kysely<unknown>) {
  return isPostgres(db) ? sql`text collate "C"` : sql`text`;
}
