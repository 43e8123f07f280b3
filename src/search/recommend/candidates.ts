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

/** Recent papers (published in the last CANDIDATE_DAYS before `now`), newest first. */
export async function recentPapers(store: Store, now: Date, max = MAX_CANDIDATES): Promise<Paper[]> {
  const since = new Date(now.getTime() - CANDIDATE_DAYS * 86_400_000).toISOString().slice(0, 10) as IsoDate;
  const until = now.toISOString().slice(0, 10) as IsoDate;
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
