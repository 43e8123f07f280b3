import { sql } from "kysely";
import type { RepoContext } from "../repo.ts";

/**
 * A value that changes whenever anything is committed to the database, by this process or any other, or null
 * when the database cannot tell (then nothing is remembered between calls). Reading it costs one tiny query,
 * far less than the reads a list is assembled from, so lists can be kept until the data under them changes.
 *
 * - SQLite: `data_version` changes when another connection commits; `total_changes()` counts this
 *   connection's own writes (the store writes through this one connection).
 * - PostgreSQL: the WAL insert position moves with every logged write, whichever client made it; a standby
 *   (where the function is refused) falls back to no caching.
 *
 * A write that is rolled back may also change the value; that only costs a refresh.
 */
export type VersionProbe = () => Promise<string | null>;

export function versionProbe(ctx: RepoContext): VersionProbe {
  if (ctx.dialect === "sqlite") {
    const query = sql<{
      v: number;
      t: number;
    }>`select (select data_version from pragma_data_version) as v, total_changes() as t`;
    return async () => {
      const row = (await query.execute(ctx.db)).rows[0];
      return row ? `${row.v}:${row.t}` : null;
    };
  }
  const query = sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`;
  let unavailable = false;
  return async () => {
    if (unavailable) return null;
    try {
      return (await query.execute(ctx.db)).rows[0]?.lsn ?? null;
    } catch (error) {
      // A hot standby refuses WAL functions (55000): lists are then read fresh every time. Any other failure
      // only skips the cache for this call; the reads that follow report it if the database is really down.
      if ((error as { code?: unknown }).code === "55000") unavailable = true;
      return null;
    }
  };
}
