import { describeError, type IsoTimestamp, toTimestamp } from "../core/index.ts";
import type { Logger } from "../log.ts";
import type { Clock } from "../net/clock.ts";
import type { IngestBatch, OutcomeCounts, SourceStateUpdate, Store } from "../store/store.ts";
import type { SourceClients } from "./clients.ts";

export interface SyncProgress {
  label: string;
  /** Units done and expected (days, pages, repositories); total 0 when unknown. */
  done: number;
  total: number;
  /** Records received so far. */
  items: number;
}

/** What every sync needs; built once per process (CLI command or worker). */
export interface SyncContext {
  store: Store;
  clients: SourceClients;
  clock: Clock;
  logger: Logger;
  onProgress?: (progress: SyncProgress) => void;
  /** Stops the sync between batches (a lost job lease, a shutdown). */
  signal?: AbortSignal;
}

export interface SyncProblem {
  where: string;
  reason: string;
}

/** What a sync did, for the CLI's summary and the job log. */
export interface SyncReport {
  source: string;
  /** Records received from the source. */
  read: number;
  papers: OutcomeCounts;
  daily: OutcomeCounts;
  /** Records the source sent that could not be used, with reasons. */
  problems: SyncProblem[];
}

export function emptyReport(source: string): SyncReport {
  return {
    source,
    read: 0,
    papers: { added: 0, updated: 0, unchanged: 0 },
    daily: { added: 0, updated: 0, unchanged: 0 },
    problems: [],
  };
}

function addCounts(into: OutcomeCounts, from: OutcomeCounts): void {
  into.added += from.added;
  into.updated += from.updated;
  into.unchanged += from.unchanged;
}

export function nowOf(ctx: SyncContext): IsoTimestamp {
  return toTimestamp(new Date(ctx.clock.now()));
}

export function checkAborted(ctx: SyncContext): void {
  if (ctx.signal?.aborted)
    throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error("sync aborted");
}

/**
 * Runs a sync of `source` with its freshness bookkeeping: the attempt is recorded first, then either the
 * success (clearing any failure) or the error (which is rethrown, so jobs retry). Progress within the sync is
 * checkpointed by the sync itself, with its records.
 */
export async function withSourceState(
  ctx: SyncContext,
  source: string,
  run: () => Promise<SyncReport>,
): Promise<SyncReport> {
  await ctx.store.updateSourceState(source, { attemptAt: nowOf(ctx) }, nowOf(ctx));
  try {
    const report = await run();
    await ctx.store.updateSourceState(source, { successAt: nowOf(ctx) }, nowOf(ctx));
    return report;
  } catch (error) {
    await ctx.store
      .updateSourceState(source, { attemptAt: nowOf(ctx), error: describeError(error) }, nowOf(ctx))
      .catch((stateError: unknown) =>
        ctx.logger.error("could not record a sync failure", { source, error: describeError(stateError) }),
      );
    throw error;
  }
}

/**
 * Stores one page of a sync: its records and the source's checkpoint in one transaction, so a crash after it
 * resumes after this page. The newest item and the item count come from the papers unless `update` gives
 * them. The outcome is added to the report.
 */
export async function storePage(
  ctx: SyncContext,
  report: SyncReport,
  batch: Omit<IngestBatch, "checkpoint">,
  update: SourceStateUpdate = {},
): Promise<void> {
  const ingested = await ctx.store.ingest(
    {
      ...batch,
      checkpoint: {
        source: report.source,
        update: {
          newestItemAt: newest(batch.papers.map((p) => p.publishedAt)),
          itemsAdded: batch.papers.length,
          ...update,
        },
      },
    },
    nowOf(ctx),
  );
  addCounts(report.papers, ingested.papers);
  addCounts(report.daily, ingested.daily);
}

/** The newest of some timestamps, or null. */
function newest(times: readonly (IsoTimestamp | null | undefined)[]): IsoTimestamp | null {
  let max: IsoTimestamp | null = null;
  for (const t of times) if (t && (max === null || t > max)) max = t;
  return max;
}
