import type { Kysely } from "kysely";
import type { IsoTimestamp, SourceState } from "../core/index.ts";
import type { Database, SourceStateTable } from "./schema.ts";

/** A change to a source's state; fields left out keep their value. */
export interface SourceStateUpdate {
  /** A sync started. */
  attemptAt?: IsoTimestamp;
  /** A sync (or one page of it) succeeded: clears the failure. */
  successAt?: IsoTimestamp;
  /** A sync failed with this message at `attemptAt` (or now). */
  error?: string;
  /** The newest item seen; kept only if newer than the stored one. */
  newestItemAt?: IsoTimestamp | null;
  /** Items received, added to the running total. */
  itemsAdded?: number;
  /** Where to continue from; `null` clears it. */
  cursor?: unknown;
}

export function rowToSourceState(r: SourceStateTable): SourceState {
  return {
    source: r.source,
    cursor: r.cursor_json === null ? null : (JSON.parse(r.cursor_json) as unknown),
    lastAttemptAt: r.last_attempt_at as IsoTimestamp | null,
    lastSuccessAt: r.last_success_at as IsoTimestamp | null,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at as IsoTimestamp | null,
    failingSince: r.failing_since as IsoTimestamp | null,
    newestItemAt: r.newest_item_at as IsoTimestamp | null,
    itemsSynced: Number(r.items_synced),
  };
}

export async function readSourceState(db: Kysely<Database>, source: string): Promise<SourceState | null> {
  const row = await db.selectFrom("source_state").selectAll().where("source", "=", source).executeTakeFirst();
  return row ? rowToSourceState(row) : null;
}

/** Applies an update inside the caller's transaction (read, merge, upsert). */
export async function writeSourceState(
  conn: Kysely<Database>,
  source: string,
  update: SourceStateUpdate,
  now: IsoTimestamp,
): Promise<void> {
  const current = await readSourceState(conn, source);
  const next: SourceState = current ?? {
    source,
    cursor: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
    failingSince: null,
    newestItemAt: null,
    itemsSynced: 0,
  };
  if (update.attemptAt) next.lastAttemptAt = update.attemptAt;
  if (update.successAt) {
    next.lastSuccessAt = update.successAt;
    next.failingSince = null;
  }
  if (update.error !== undefined) {
    const at = update.attemptAt ?? now;
    next.lastError = update.error;
    next.lastErrorAt = at;
    next.failingSince ??= at;
  }
  if (update.newestItemAt && (next.newestItemAt === null || update.newestItemAt > next.newestItemAt)) {
    next.newestItemAt = update.newestItemAt;
  }
  if (update.itemsAdded) next.itemsSynced += update.itemsAdded;
  if (update.cursor !== undefined) next.cursor = update.cursor;
  const row: SourceStateTable = {
    source,
    cursor_json: next.cursor === null ? null : JSON.stringify(next.cursor),
    last_attempt_at: next.lastAttemptAt,
    last_success_at: next.lastSuccessAt,
    last_error: next.lastError,
    last_error_at: next.lastErrorAt,
    failing_since: next.failingSince,
    newest_item_at: next.newestItemAt,
    items_synced: next.itemsSynced,
  };
  const { source: _key, ...rest } = row;
  await conn
    .insertInto("source_state")
    .values(row)
    .onConflict((oc) => oc.column("source").doUpdateSet(rest))
    .execute();
}
