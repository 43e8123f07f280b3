import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** The two databases a store runs on; only transaction start, job-claim locking and parameter limits differ. */
export type Dialect = "sqlite" | "postgres";

/**
 * What a store module (search, listings, accounts, community, ...) is built from. Each module lives in its own
 * folder under `src/store/` with its interface, its Kysely implementation, its tables and its migration; the
 * `Store` exposes it as a property (`store.search`, `store.accounts`, ...), so the contract stays one object
 * while no file has to know every table.
 */
export interface RepoContext {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParams: number;
  /**
   * Runs `fn` in a write transaction that serialises with every other writer (SQLite `BEGIN IMMEDIATE`,
   * PostgreSQL advisory lock); commits when it resolves, rolls back when it throws.
   */
  write<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T>;
}
