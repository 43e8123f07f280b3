import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { IsoTimestamp, Job, JobState, NewJob } from "../core/index.ts";
import type { Database, JobsTable } from "./schema.ts";

export function rowToJob(r: JobsTable): Job {
  return {
    id: r.id,
    kind: r.kind,
    payload: JSON.parse(r.payload_json) as Record<string, unknown>,
    state: r.state as JobState,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    runAt: r.run_at as IsoTimestamp,
    lockedBy: r.locked_by,
    lockedUntil: r.locked_until as IsoTimestamp | null,
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: r.created_at as IsoTimestamp,
    updatedAt: r.updated_at as IsoTimestamp,
    finishedAt: r.finished_at as IsoTimestamp | null,
  };
}

/** Adds a job unless one with the same dedupe key exists. */
export async function insertJob(
  db: Kysely<Database>,
  job: NewJob,
  now: IsoTimestamp,
): Promise<{ id: string; created: boolean }> {
  const id = randomUUID();
  const result = await db
    .insertInto("jobs")
    .values({
      id,
      kind: job.kind,
      payload_json: JSON.stringify(job.payload ?? {}),
      state: "queued",
      attempts: 0,
      max_attempts: job.maxAttempts ?? 5,
      run_at: job.runAt ?? now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      dedupe_key: job.dedupeKey ?? null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) return { id, created: true };
  const existing = await db
    .selectFrom("jobs")
    .select("id")
    .where("dedupe_key", "=", job.dedupeKey ?? "")
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export interface ClaimOptions {
  workerId: string;
  now: IsoTimestamp;
  /** How long the claim holds before another worker may take the job over. */
  leaseUntil: IsoTimestamp;
  kinds?: readonly string[];
  /** PostgreSQL: skip rows other workers are claiming instead of waiting for them. */
  skipLocked: boolean;
}

/**
 * Claims the job due first: a queued job whose time has come, or a running one whose worker's lease ran out
 * (that worker died). Must run inside a transaction; the claim counts as an attempt.
 */
export async function claimNextJob(conn: Kysely<Database>, o: ClaimOptions): Promise<Job | null> {
  let query = conn
    .selectFrom("jobs")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb("state", "=", "queued"), eb("run_at", "<=", o.now)]),
        eb.and([eb("state", "=", "running"), eb("locked_until", "<", o.now)]),
      ]),
    )
    .orderBy("run_at")
    .orderBy("created_at")
    .limit(1);
  if (o.kinds && o.kinds.length > 0) query = query.where("kind", "in", o.kinds);
  if (o.skipLocked) query = query.forUpdate().skipLocked();
  for (;;) {
    const row = await query.executeTakeFirst();
    if (!row) return null;
    if (row.state === "running" && Number(row.attempts) >= Number(row.max_attempts)) {
      // Its worker died during the last allowed attempt: give up rather than loop forever.
      await conn
        .updateTable("jobs")
        .set({
          state: "failed",
          last_error: `the worker running attempt ${row.attempts} stopped (lease expired); no attempts left`,
          locked_by: null,
          locked_until: null,
          updated_at: o.now,
          finished_at: o.now,
        })
        .where("id", "=", row.id)
        .execute();
      continue;
    }
    return claimRow(conn, row, o);
  }
}

async function claimRow(conn: Kysely<Database>, row: JobsTable, o: ClaimOptions): Promise<Job> {
  const updated = await conn
    .updateTable("jobs")
    .set({
      state: "running",
      locked_by: o.workerId,
      locked_until: o.leaseUntil,
      attempts: Number(row.attempts) + 1,
      updated_at: o.now,
    })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToJob(updated);
}

/** Extends a running job's lease; false when the worker no longer holds it. */
export async function renewLease(
  db: Kysely<Database>,
  id: string,
  workerId: string,
  until: IsoTimestamp,
  now: IsoTimestamp,
): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({ locked_until: until, updated_at: now })
    .where("id", "=", id)
    .where("locked_by", "=", workerId)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type JobOutcome = { ok: true } | { ok: false; error: string; retryAt: IsoTimestamp | null };

/**
 * Records how a run ended: succeeded; queued again for `retryAt` after a failure; or failed for good when no
 * retry is due. Only the worker holding the lease may finish the job; returns false otherwise.
 */
export async function finishJob(
  db: Kysely<Database>,
  id: string,
  workerId: string,
  outcome: JobOutcome,
  now: IsoTimestamp,
): Promise<boolean> {
  const base = db
    .updateTable("jobs")
    .where("id", "=", id)
    .where("locked_by", "=", workerId)
    .where("state", "=", "running");
  const result = outcome.ok
    ? await base
        .set({ state: "succeeded", locked_by: null, locked_until: null, updated_at: now, finished_at: now })
        .executeTakeFirst()
    : await base
        .set({
          state: outcome.retryAt ? "queued" : "failed",
          run_at: outcome.retryAt ?? now,
          last_error: outcome.error,
          locked_by: null,
          locked_until: null,
          updated_at: now,
          finished_at: outcome.retryAt ? null : now,
        })
        .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Gives a running job back to the queue, due at once, without counting the attempt it was in: the worker
 * holding it is shutting down. Only that worker may release it; returns false otherwise.
 */
export async function releaseJob(
  db: Kysely<Database>,
  id: string,
  workerId: string,
  now: IsoTimestamp,
): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set((eb) => ({
      state: "queued",
      attempts: eb("attempts", "-", 1),
      run_at: now,
      locked_by: null,
      locked_until: null,
      updated_at: now,
    }))
    .where("id", "=", id)
    .where("locked_by", "=", workerId)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
