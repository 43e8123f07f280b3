/**
 * The candidates recommendations are drawn from: the recent papers, turned into one `RecommendationCorpus`
 * that every reader's model is scored against. A digest run builds it once; the web reuses one for a while.
 */
import type { IsoDate, Paper } from "../../core/index.ts";
import type { Store } from "../../store/store.ts";
import { RecommendationCorpus } from "./model.ts";

/** Days of new papers the recommendation candidates are drawn from. */
export const CANDIDATE_DAYS = 14;
/** Most candidates per corpus (newest first). */
export const MAX_CANDIDATES = 2_000;

/**
 * The day the candidates' window ends: today, or the newest stored paper's day when the store is behind the
 * clock (a library imported once, a sync that stopped), so recommendations still come from its newest papers.
 */
export async function candidatesUntil(store: Store, now: Date): Promise<IsoDate> {
  const today = now.toISOString().slice(0, 10) as IsoDate;
  const newest = await store.search.filter({ filters: { until: today }, sort: "date", limit: 1 });
  const day = newest.hits[0]?.paper.publishedAt?.slice(0, 10) as IsoDate | undefined;
  return day && day < today ? day : today;
}

/** Recent papers (published in the CANDIDATE_DAYS up to `candidatesUntil`), newest first. */
export async function recentPapers(store: Store, now: Date, max = MAX_CANDIDATES): Promise<Paper[]> {
  const until = await candidatesUntil(store, now);
  const end = new Date(`${until}T00:00:00Z`);
  const since = new Date(end.getTime() - CANDIDATE_DAYS * 86_400_000).toISOString().slice(0, 10) as IsoDate;
  const out: Paper[] = [];
  for (let offset = 0; offset < max; offset += 100) {
    const page = await store.search.filter({ filters: { since, until }, sort: "date", offset, limit: 100 });
    out.push(...page.hits.map((h) => h.paper));
    if (page.hits.length < 100) break;
  }
  return out.slice(0, max);
}

/** The corpus of the papers recent at `now`. */
export async function buildCorpus(store: Store, now: Date): Promise<RecommendationCorpus> {
  return new RecommendationCorpus(await recentPapers(store, now));
}

/**
 * A corpus built on first use and reused until it is `maxAgeMs` old (or the clock goes back), so a page view
 * costs one reader's scoring. A failed build is not kept: the next call tries again.
 */
export function reusedCorpus(
  store: Store,
  now: () => Date,
  maxAgeMs: number,
): () => Promise<RecommendationCorpus> {
  let cached: { at: number; corpus: Promise<RecommendationCorpus> } | null = null;
  return () => {
    const t = now().getTime();
    if (!cached || t - cached.at > maxAgeMs || t < cached.at) {
      const built = buildCorpus(store, now());
      built.catch(() => {
        cached = null;
      });
      cached = { at: t, corpus: built };
    }
    return cached.corpus;
  };
}
