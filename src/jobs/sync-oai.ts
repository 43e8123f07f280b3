import {
  type OaiCursor,
  OaiHarvester,
  type OaiMetadataPrefix,
  oaiCursorSchema,
} from "../sources/arxiv/oai.ts";
import {
  checkAborted,
  emptyReport,
  type SyncContext,
  type SyncReport,
  storePage,
  withSourceState,
} from "./sync-context.ts";

export interface OaiSyncOptions {
  /** An OAI set such as `cs:cs:LG`; null for everything. */
  set: string | null;
  /** Start a fresh harvest from this date instead of continuing from the saved cursor. */
  from?: string;
  until?: string;
  /** Where a first harvest (no saved cursor) starts; without it, a first harvest takes the whole set. */
  initialFrom?: string;
  metadataPrefix?: OaiMetadataPrefix;
}

export function oaiSource(set: string | null): string {
  return `arxiv-oai:${set ?? "all"}`;
}

/**
 * Harvests arXiv's OAI-PMH records for a set, a page per transaction with the cursor saved alongside: a run
 * killed at any moment continues from the last page that landed; a completed run is followed by incremental
 * runs from the newest datestamp seen.
 */
export async function syncOai(ctx: SyncContext, options: OaiSyncOptions): Promise<SyncReport> {
  const source = oaiSource(options.set);
  return withSourceState(ctx, source, async () => {
    const report = emptyReport(source);
    const cursor = await startingCursor(ctx, source, options);
    for await (const page of ctx.clients.oai.harvest(cursor)) {
      checkAborted(ctx);
      for (const p of page.problems)
        report.problems.push({ where: p.identifier ?? "record", reason: p.reason });
      if (page.deleted.length > 0) {
        ctx.logger.info("arXiv reports deleted records; they are kept here", { count: page.deleted.length });
      }
      report.read += page.records.length + page.problems.length;
      await storePage(ctx, report, { papers: page.records }, { cursor: page.cursor });
      ctx.onProgress?.({
        label: `oai ${options.set ?? "all"}`,
        done: report.read,
        total: page.listSize ?? 0,
        items: report.read,
      });
    }
    return report;
  });
}

async function startingCursor(ctx: SyncContext, source: string, options: OaiSyncOptions): Promise<OaiCursor> {
  if (options.from) {
    return OaiHarvester.startCursor({
      ...(options.set ? { set: options.set } : {}),
      from: options.from,
      ...(options.until ? { until: options.until } : {}),
      ...(options.metadataPrefix ? { metadataPrefix: options.metadataPrefix } : {}),
    });
  }
  const saved = oaiCursorSchema.safeParse((await ctx.store.getSourceState(source))?.cursor);
  if (saved.success) return saved.data.complete ? OaiHarvester.nextRun(saved.data) : saved.data;
  return OaiHarvester.startCursor({
    ...(options.set ? { set: options.set } : {}),
    ...(options.initialFrom ? { from: options.initialFrom } : {}),
    ...(options.metadataPrefix ? { metadataPrefix: options.metadataPrefix } : {}),
  });
}

/** The OAI-PMH set holding an arXiv category: `cs.LG` → `cs:cs:LG`, `hep-th` → `physics:hep-th`. */
export function oaiSetFor(category: string): string {
  const [archive = category, sub] = category.split(".");
  const own = ["cs", "math", "q-bio", "q-fin", "stat", "eess", "econ"];
  if (own.includes(archive)) return sub ? `${archive}:${archive}:${sub}` : archive;
  return sub ? `physics:${archive}:${sub}` : `physics:${archive}`;
}
