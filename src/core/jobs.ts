import type { IsoTimestamp } from "./dates.ts";

export const JOB_STATES = ["queued", "running", "succeeded", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A unit of background work (a sync, a stars refresh), kept in the database so that no crash loses it. */
export interface Job {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  state: JobState;
  /** Attempts started so far (a claim counts as one). */
  attempts: number;
  maxAttempts: number;
  /** Not to be started before this time (the schedule, or the back-off after a failure). */
  runAt: IsoTimestamp;
  /** Worker holding the job while it runs, and until when its lease lasts. */
  lockedBy: string | null;
  lockedUntil: IsoTimestamp | null;
  lastError: string | null;
  /** Jobs with the same key are one job: scheduling it twice adds nothing. */
  dedupeKey: string | null;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  finishedAt: IsoTimestamp | null;
}

export interface NewJob {
  kind: string;
  payload?: Record<string, unknown>;
  runAt?: IsoTimestamp;
  maxAttempts?: number;
  dedupeKey?: string;
}

export interface BackoffParams {
  /** Delay after the first failure. */
  baseMs: number;
  /** Upper bound on any delay. */
  maxMs: number;
}

export const DEFAULT_JOB_BACKOFF: BackoffParams = { baseMs: 30_000, maxMs: 6 * 60 * 60_000 };

/**
 * Delay before retrying a job that failed its `attempt`-th time: `baseMs * 2^(attempt-1)`, capped at `maxMs`.
 * Deterministic (no jitter): jobs are few and already spread by their schedules.
 */
export function retryDelayMs(attempt: number, params: BackoffParams = DEFAULT_JOB_BACKOFF): number {
  return Math.min(params.maxMs, params.baseMs * 2 ** Math.max(0, attempt - 1));
}
