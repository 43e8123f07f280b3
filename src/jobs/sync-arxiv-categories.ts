import { type ArxivId, describeError } from "../core/index.ts";
import { SourceError } from "../net/http-client.ts";
import { type ArxivFetchResult, ID_BATCH_SIZE } from "../sources/arxiv/api.ts";
import {
  checkAborted,
  emptyReport,
  nowOf,
  type SyncContext,
  type SyncReport,
  storePage,
  withSourceState,
} from "./sync-context.ts";

export const ARXIV_CATEGORIES_SOURCE = "arxiv-categories";

interface CategoriesCursor {
  /** The last paper asked for in the current pass. */
  after: ArxivId | null;
}

export interface CategoriesSyncOptions {
  /** Papers asked for per arXiv request, 1 to `ID_BATCH_SIZE` (the default). */
  batchSize?: number;
}

/**
 * Gives papers that have no arXiv category (those only Hugging Face listed) the arXiv API's record, in
 * `id_list` requests of up to 100 ids, each through the process's arXiv limiter (one request every 3 s). The
 * records merge as any arXiv API record does, so the categories land with their lookup rows and the paper
 * appears on its category pages, filters and digests. Each batch lands with a cursor in one transaction: a run
 * stopped anywhere resumes after the last batch that landed; a full pass resets the cursor. An id arXiv does
 * not know (withdrawn, or not yet public) is reported and skipped; an id arXiv refuses costs only itself.
 */
export async function syncArxivCategories(
  ctx: SyncContext,
  options: CategoriesSyncOptions = {},
): Promise<SyncReport> {
  const batchSize = options.batchSize ?? ID_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > ID_BATCH_SIZE)
    throw new RangeError(`batchSize must be an integer from 1 to ${ID_BATCH_SIZE}, got ${batchSize}`);
  return withSourceState(ctx, ARXIV_CATEGORIES_SOURCE, async () => {
    const report = emptyReport(ARXIV_CATEGORIES_SOURCE);
    const state = await ctx.store.getSourceState(ARXIV_CATEGORIES_SOURCE);
    let after = (state?.cursor as CategoriesCursor | null)?.after ?? null;
    let batches = 0;
    for (;;) {
      checkAborted(ctx);
      const ids = await ctx.store.papersWithoutCategories({ after, limit: batchSize });
      if (ids.length === 0) break;
      const result = await fetchSparingBadIds(ctx, ids, report);
      for (const p of result.problems) report.problems.push({ where: p.id ?? "entry", reason: p.reason });
      for (const id of result.missing)
        report.problems.push({ where: id, reason: "arXiv has no paper with this id" });
      report.read += result.records.length + result.problems.length;
      // Only the papers asked for: an id_list answer names the papers it was given.
      const wanted = new Set<string>(ids);
      const records = result.records.filter((r) => wanted.has(r.id));
      after = ids[ids.length - 1] ?? after;
      await storePage(ctx, report, { papers: records }, { cursor: { after } satisfies CategoriesCursor });
      batches++;
      ctx.onProgress?.({ label: "arxiv categories", done: batches, total: 0, items: report.read });
    }
    await ctx.store.updateSourceState(
      ARXIV_CATEGORIES_SOURCE,
      { cursor: { after: null } satisfies CategoriesCursor },
      nowOf(ctx),
    );
    return report;
  });
}

/**
 * Fetches `ids` in one request; when arXiv refuses the request (HTTP 400: it names an id it cannot read),
 * halves the batch until the refused ids stand alone, so one bad id costs a few requests, not the batch.
 * Anything else (a timeout, a 503 after the client's retries) is thrown: the job retries from the checkpoint.
 */
async function fetchSparingBadIds(
  ctx: SyncContext,
  ids: readonly ArxivId[],
  report: SyncReport,
): Promise<ArxivFetchResult> {
  try {
    return await ctx.clients.arxivApi.fetchByIds(ids);
  } catch (error) {
    if (!(error instanceof SourceError) || error.status !== 400) throw error;
    if (ids.length === 1) {
      report.problems.push({ where: ids[0] ?? "id", reason: describeError(error) });
      return { records: [], problems: [], missing: [] };
    }
    checkAborted(ctx);
    const half = Math.ceil(ids.length / 2);
    const first = await fetchSparingBadIds(ctx, ids.slice(0, half), report);
    const second = await fetchSparingBadIds(ctx, ids.slice(half), report);
    return {
      records: [...first.records, ...second.records],
      problems: [...first.problems, ...second.problems],
      missing: [...first.missing, ...second.missing],
    };
  }
}
