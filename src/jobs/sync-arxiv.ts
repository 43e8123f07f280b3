import { type Category, dateOf, type IsoTimestamp, parseCategory } from "../core/index.ts";
import type { Announcement } from "../store/store.ts";
import {
  checkAborted,
  emptyReport,
  nowOf,
  type SyncContext,
  type SyncReport,
  storePage,
  withSourceState,
} from "./sync-context.ts";

export const ARXIV_API_SOURCE = "arxiv-api";

/** Fetches papers by id (any form: `2405.15738`, `arXiv:2405.15738v2`, URLs) and stores them. */
export async function syncArxivIds(ctx: SyncContext, ids: readonly string[]): Promise<SyncReport> {
  return withSourceState(ctx, ARXIV_API_SOURCE, async () => {
    const report = emptyReport(ARXIV_API_SOURCE);
    const result = await ctx.clients.arxivApi.fetchByIds(ids);
    for (const p of result.problems) report.problems.push({ where: p.id ?? "entry", reason: p.reason });
    for (const id of result.missing)
      report.problems.push({ where: id, reason: "arXiv has no paper with this id" });
    report.read = result.records.length + result.problems.length;
    await storePage(ctx, report, { papers: result.records });
    ctx.onProgress?.({ label: "arxiv ids", done: 1, total: 1, items: report.read });
    return report;
  });
}

/**
 * Fetches a category's papers submitted since a date through the search API, newest first, a page per
 * transaction. For backfills of more than a few thousand papers, OAI-PMH (`syncOai`) is the polite way.
 */
export async function syncArxivCategory(
  ctx: SyncContext,
  options: { category: string; since: Date; pageSize?: number },
): Promise<SyncReport> {
  const category = parseCategory(options.category);
  const source = `${ARXIV_API_SOURCE}:${category}`;
  return withSourceState(ctx, source, async () => {
    const report = emptyReport(source);
    for await (const page of ctx.clients.arxivApi.searchAll(`cat:${category}`, {
      since: options.since,
      pageSize: options.pageSize ?? 200,
    })) {
      checkAborted(ctx);
      for (const p of page.problems) report.problems.push({ where: p.id ?? "entry", reason: p.reason });
      report.read += page.records.length + page.problems.length;
      await storePage(ctx, report, { papers: page.records });
      ctx.onProgress?.({
        label: `arxiv ${category}`,
        done: report.read,
        total: page.totalResults,
        items: report.read,
      });
    }
    return report;
  });
}

/**
 * Reads a category's latest daily listing (the arXiv RSS feed) for same-day freshness: the papers, and why
 * each is listed (new, cross-list, replacement), kept as announcements for the listing's day.
 */
export async function syncArxivListing(ctx: SyncContext, categoryInput: string): Promise<SyncReport> {
  const category: Category = parseCategory(categoryInput);
  const source = `arxiv-rss:${category}`;
  return withSourceState(ctx, source, async () => {
    const report = emptyReport(source);
    const listing = await ctx.clients.arxivListings.fetchCategory(category);
    for (const p of listing.problems) report.problems.push({ where: p.id ?? "item", reason: p.reason });
    report.read = listing.items.length + listing.problems.length;
    const listedAt: IsoTimestamp = listing.listedAt ?? nowOf(ctx);
    const announcements: Announcement[] = listing.items.map((item) => ({
      day: dateOf(listedAt),
      category,
      paperId: item.record.id,
      type: item.announceType,
      version: item.version,
    }));
    await storePage(
      ctx,
      report,
      { papers: listing.items.map((i) => i.record), announcements },
      { newestItemAt: listedAt },
    );
    ctx.onProgress?.({ label: `listing ${category}`, done: 1, total: 1, items: report.read });
    return report;
  });
}
