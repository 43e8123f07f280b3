import { type GitHubRepo, parseGitHubRepo, repoKey } from "../core/github-repo.ts";
import type { ArxivId, PaperRecord } from "../core/index.ts";
import type { StarObservation } from "../store/store.ts";
import {
  checkAborted,
  emptyReport,
  nowOf,
  type SyncContext,
  type SyncReport,
  storePage,
  withSourceState,
} from "./sync-context.ts";

export const STARS_SOURCE = "github-stars";

interface StarsCursor {
  /** The last paper whose repository was refreshed in the current pass. */
  after: ArxivId | null;
}

/**
 * Refreshes GitHub star counts for papers with a code repository, a page of papers at a time: the new counts
 * go to the papers (as a fresh observation) and to the star history, with a cursor, in one transaction. A
 * run stopped by GitHub's rate limit resumes after the last page that landed; a full pass resets the cursor.
 */
export async function refreshStars(
  ctx: SyncContext,
  options: { pageSize?: number } = {},
): Promise<SyncReport> {
  const pageSize = options.pageSize ?? 100;
  return withSourceState(ctx, STARS_SOURCE, async () => {
    const report = emptyReport(STARS_SOURCE);
    const state = await ctx.store.getSourceState(STARS_SOURCE);
    let after = (state?.cursor as StarsCursor | null)?.after ?? null;
    let pages = 0;
    for (;;) {
      checkAborted(ctx);
      const papers = await ctx.store.papersWithCode({ after, limit: pageSize });
      if (papers.length === 0) break;
      const byRepo = new Map<string, { repo: GitHubRepo; papers: ArxivId[] }>();
      for (const p of papers) {
        const repo = parseGitHubRepo(p.codeUrl);
        if (!repo) continue;
        const key = repoKey(repo).toLowerCase();
        const group = byRepo.get(key) ?? { repo, papers: [] };
        group.papers.push(p.id);
        byRepo.set(key, group);
      }
      const records: PaperRecord[] = [];
      const observations: StarObservation[] = [];
      for await (const outcome of ctx.clients.github.fetchMany([...byRepo.values()].map((g) => g.repo))) {
        report.read++;
        const group = byRepo.get(outcome.repo.toLowerCase());
        if ("error" in outcome) {
          report.problems.push({ where: outcome.repo, reason: outcome.error });
          continue;
        }
        if ("missing" in outcome || !group) continue;
        observations.push({ repo: outcome.repo, stars: outcome.stars, observedAt: outcome.observedAt });
        for (const id of group.papers) {
          records.push({
            id,
            sources: [],
            versions: [],
            githubStars: outcome.stars,
            observedAt: outcome.observedAt,
            ...(outcome.movedTo ? { codeUrl: `https://github.com/${outcome.movedTo}` } : {}),
          });
        }
      }
      after = papers[papers.length - 1]?.id ?? after;
      await storePage(
        ctx,
        report,
        { papers: records, stars: observations },
        {
          cursor: { after },
          itemsAdded: observations.length,
        },
      );
      pages++;
      ctx.onProgress?.({ label: "github stars", done: pages, total: 0, items: report.read });
    }
    await ctx.store.updateSourceState(STARS_SOURCE, { cursor: { after: null } }, nowOf(ctx));
    return report;
  });
}
