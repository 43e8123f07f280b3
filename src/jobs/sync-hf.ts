import { type IsoDate, parseIsoDate } from "../core/index.ts";
import {
  checkAborted,
  emptyReport,
  type SyncContext,
  type SyncReport,
  storePage,
  withSourceState,
} from "./sync-context.ts";

export const HF_SOURCE = "hf-daily";

export function addDays(day: IsoDate, days: number): IsoDate {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as IsoDate;
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/**
 * Syncs Hugging Face daily papers lists from `from` to `to` (inclusive), one day per transaction: papers,
 * daily entries and the checkpoint land together. Re-syncing a day updates its counts without duplicating
 * entries. Bad entries are reported and skipped; a day that cannot be read fails the sync (and the job retries).
 */

export async function syncHfDays(ctx: SyncContext, range: { from: string; to: string }): Promise<SyncReport> {
  const from = parseIsoDate(range.from);
  const to = parseIsoDate(range.to);
  if (from > to) throw new Error(`the range is reversed: ${from} is after ${to}`);
  const total = daysBetween(from, to);
  return withSourceState(ctx, HF_SOURCE, async () => {
    const report = emptyReport(HF_SOURCE);
    let done = 0;
    for (let day = from; day <= to; day = addDays(day, 1)) {
      checkAborted(ctx);
      const result = await ctx.clients.hf.fetchDay(day);
      for (const p of result.problems)
        report.problems.push({ where: `${day} entry ${p.entry}`, reason: p.reason });
      report.read += result.items.length + result.problems.length;
      await storePage(
        ctx,
        report,
        { papers: result.items.map((i) => i.paper), daily: result.items.map((i) => i.daily) },
        { cursor: { lastDay: day } },
      );
      done++;
      ctx.onProgress?.({ label: `hf ${day}`, done, total, items: report.read });
    }
    return report;
  });
}

/** The days a scheduled sync covers: the last `days` days up to today (UTC), as lists keep changing for a while. */
export function recentDays(nowMs: number, days: number): { from: IsoDate; to: IsoDate } {
  const to = new Date(nowMs).toISOString().slice(0, 10) as IsoDate;
  return { from: addDays(to, -(Math.max(1, days) - 1)), to };
}
