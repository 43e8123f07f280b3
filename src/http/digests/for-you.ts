/**
 * The "For you" list for the web: the same model and exclusions as the digests (src/search/recommend). The
 * candidates' corpus is built once and reused for CORPUS_TTL_MS, so a page view costs one reader's scoring.
 */
import { type Recommendation, recommendFor, reusedCorpus } from "../../search/recommend/index.ts";
import type { Store } from "../../store/store.ts";

const CORPUS_TTL_MS = 10 * 60_000;

export function forYouSource(store: Store, now: () => Date) {
  const corpus = reusedCorpus(store, now, CORPUS_TTL_MS);
  return async (userId: string, limit = 20): Promise<Recommendation[]> =>
    recommendFor(store, await corpus(), userId, limit);
}

/** A recommendation as the API shows it. */
export function presentRecommendation(r: Recommendation) {
  return {
    id: r.paper.id,
    title: r.paper.title,
    authors: r.paper.authors,
    publishedAt: r.paper.publishedAt,
    score: Number(r.score.toFixed(4)),
    reason: r.reason,
    because: r.because,
    terms: r.terms,
  };
}
