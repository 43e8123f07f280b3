import { parseGitHubRepo, repoKey } from "../../core/github-repo.ts";
import type { ArxivId, DailyEntry } from "../../core/index.ts";
import { starsGained, type TrendingParams, trendingScore } from "../../core/trending.ts";
import type { ListingSort, LocalActivitySource, PaperActivity } from "./types.ts";

const DAY_MS = 86_400_000;

/** A paper being ranked: its activity plus what the formula needs. */
export interface Candidate extends PaperActivity {
  id: ArxivId;
  publishedAt: string | null;
  starsGained: number;
  score: number;
}

/** The entry with the most upvotes; on ties the later day (its counts are the fresher snapshot). */
export function largestEntry(entries: readonly DailyEntry[]): DailyEntry | null {
  let best: DailyEntry | null = null;
  for (const e of entries) {
    if (!best || e.upvotes > best.upvotes || (e.upvotes === best.upvotes && e.date > best.date)) best = e;
  }
  return best;
}

/** Folds every entry of many papers (and local votes and comments) into one activity per paper. */
export async function foldActivity(
  ids: readonly ArxivId[],
  entries: readonly DailyEntry[],
  local: LocalActivitySource | null,
): Promise<Map<ArxivId, PaperActivity>> {
  const byPaper = new Map<ArxivId, DailyEntry[]>();
  for (const e of entries) {
    const list = byPaper.get(e.paperId) ?? [];
    list.push(e);
    byPaper.set(e.paperId, list);
  }
  const extra =
    local && ids.length > 0 ? await local(ids) : new Map<ArxivId, { votes: number; comments: number }>();
  const out = new Map<ArxivId, PaperActivity>();
  for (const id of ids) {
    const list = byPaper.get(id) ?? [];
    const entry = largestEntry(list);
    const mine = extra.get(id);
    out.set(id, {
      upvotes: (entry?.upvotes ?? 0) + (mine?.votes ?? 0),
      numComments: (entry?.numComments ?? 0) + (mine?.comments ?? 0),
      entry,
      featuredOn: [...new Set(list.map((e) => e.date))].sort(),
    });
  }
  return out;
}

/** The lower-case `owner/name` the star history is kept under, or null for code that is not on GitHub. */
export function starRepoOf(codeUrl: string | null): string | null {
  if (!codeUrl) return null;
  const repo = parseGitHubRepo(codeUrl);
  return repo ? repoKey(repo).toLowerCase() : null;
}

/** Scores candidates at `at` (stars gained over the window that ends at `at`); `repos` maps ids to `starRepoOf`. */
export function scoreCandidates(
  candidates: Candidate[],
  repos: Map<ArxivId, string | null>,
  histories: Map<string, readonly { observedAt: string; stars: number }[]>,
  at: Date,
  params: TrendingParams,
): void {
  const from = new Date(at.getTime() - params.windowDays * DAY_MS);
  for (const c of candidates) {
    const repo = repos.get(c.id) ?? null;
    const history = repo ? histories.get(repo) : undefined;
    c.starsGained = history ? starsGained(history, from, at) : 0;
    const firstDay = c.featuredOn[0];
    const since = firstDay ? new Date(`${firstDay}T00:00:00Z`) : c.publishedAt ? new Date(c.publishedAt) : at;
    c.score = trendingScore(
      { upvotes: c.upvotes, comments: c.numComments, starsGained: c.starsGained, since },
      at,
      params,
    );
  }
}

const byTop = (a: Candidate, b: Candidate) =>
  b.upvotes - a.upvotes || b.numComments - a.numComments || compareIds(a.id, b.id);

const byNewest = (a: Candidate, b: Candidate) => {
  if (a.publishedAt !== b.publishedAt) {
    if (a.publishedAt === null) return 1;
    if (b.publishedAt === null) return -1;
    return a.publishedAt < b.publishedAt ? 1 : -1;
  }
  return compareIds(b.id, a.id);
};

const byTrending = (a: Candidate, b: Candidate) => b.score - a.score || byTop(a, b);

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortCandidates(candidates: Candidate[], sort: ListingSort): Candidate[] {
  const compare = sort === "top" ? byTop : sort === "newest" ? byNewest : byTrending;
  return candidates.sort(compare);
}
