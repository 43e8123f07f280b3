import { z } from "zod";
import type { IsoDate } from "../core/index.ts";
import {
  checkAborted,
  emptyReport,
  type SyncContext,
  type SyncReport,
  storePage,
  withSourceState,
} from "./sync-context.ts";
import { addDays, HF_SOURCE } from "./sync-hf.ts";
import type { JobHandler } from "./worker.ts";

/** The first run's job: the latest Hugging Face daily lists, newest first. */
export const BACKFILL_HF = "backfill-hf";

/** How far back a backfill looks for lists before it gives up (a mirror that stopped, a clock ahead). */
export const BACKFILL_MAX_SCAN_DAYS = 400;

/** How far a backfill got, kept in the `hf-daily` cursor (`backfill`) beside the day last stored. */
export interface BackfillProgress {
  /** Days with a list to fetch. */
  target: number;
  /** Days with a list stored so far. */
  found: number;
  /** Days asked for so far (days without a list, such as weekends, included). */
  scanned: number;
  /** The next (older) day to ask for. */
  next: IsoDate;
  done: boolean;
}

const progressSchema = z.object({
  target: z.number().int(),
  found: z.number().int(),
  scanned: z.number().int(),
  next: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  done: z.boolean(),
});

/** The backfill's progress from the `hf-daily` source's cursor, or null when none was recorded. */
export function backfillProgressOf(cursor: unknown): BackfillProgress | null {
  if (cursor === null || typeof cursor !== "object" || !("backfill" in cursor)) return null;
  const parsed = progressSchema.safeParse(cursor.backfill);
  return parsed.success ? { ...parsed.data, next: parsed.data.next as IsoDate } : null;
}

/**
 * Fetches the `days` latest daily lists of Hugging Face, from today backwards, one day per transaction with
 * its progress, so the home page fills day by day and a restart continues where it stopped. Days without a
 * list are skipped; after `maxScanDays` days asked for it stops with what it found.
 */
export async function backfillHf(
  ctx: SyncContext,
  options: { days: number; maxScanDays?: number },
): Promise<SyncReport> {
  const maxScan = options.maxScanDays ?? BACKFILL_MAX_SCAN_DAYS;
  return withSourceState(ctx, HF_SOURCE, async () => {
    const report = emptyReport(HF_SOURCE);
    const saved = backfillProgressOf((await ctx.store.getSourceState(HF_SOURCE))?.cursor);
    const today = new Date(ctx.clock.now()).toISOString().slice(0, 10) as IsoDate;
    let progress: BackfillProgress =
      saved && !saved.done && saved.target === options.days
        ? saved
        : { target: options.days, found: 0, scanned: 0, next: today, done: false };
    while (!progress.done && progress.found < progress.target && progress.scanned < maxScan) {
      checkAborted(ctx);
      const day = progress.next;
      const result = await ctx.clients.hf.fetchDay(day);
      for (const p of result.problems)
        report.problems.push({ where: `${day} entry ${p.entry}`, reason: p.reason });
      report.read += result.items.length + result.problems.length;
      const found = progress.found + (result.items.length > 0 ? 1 : 0);
      const scanned = progress.scanned + 1;
      progress = {
        target: progress.target,
        found,
        scanned,
        next: addDays(day, -1),
        done: found >= progress.target || scanned >= maxScan,
      };
      await storePage(
        ctx,
        report,
        { papers: result.items.map((i) => i.paper), daily: result.items.map((i) => i.daily) },
        { cursor: { lastDay: day, backfill: progress } },
      );
      ctx.onProgress?.({ label: `hf ${day}`, done: found, total: progress.target, items: report.read });
    }
    return report;
  });
}

const payloadSchema = z.object({ days: z.number().int().min(1).max(365) });

/** The worker's `backfill-hf` handler. */
export function backfillHfHandler(base: Omit<SyncContext, "signal" | "logger">): JobHandler {
  return async (job, { signal, logger }) => {
    const { days } = payloadSchema.parse(job.payload);
    const report = await backfillHf({ ...base, signal, logger }, { days });
    logger.info("hugging face backfill done", { papers: report.papers.added, read: report.read });
  };
}
