/**
 * The "For you" list for the web: the same model and exclusions as the digests (src/mail/digest/compose.ts).
 * The candidates' corpus is built once and reused for CORPUS_TTL_MS, so a page view costs one reader's scoring.
 */
import { RecommendationCorpus, recentPapers, recommendFor } from "../../mail/digest/compose.ts";
import type { Recommendation } from "../../search/recommend.ts";
import type { Store } from "../../store/store.ts";

const CORPUS_TTL_MS = 10 * 60_000;

export function forYouSource(store: Store, now: () => Date) {
  let cached: { at: number; corpus: Promise<RecommendationCorpus> } | null = null;
  const corpus = () => {
    const t = now().getTime();
    if (!cached || t - cached.at > CORPUS_TTL_MS || t < cached.at) {
      const built = recentPapers(store, now()).then((papers) => new RecommendationCorpus(papers));
      // A failed build is not kept: the next request tries again.
      built.catch(() => {
        cached = null;
      });
      cached = { at: t, corpus: built };
    }
    return cached.corpus;
  };
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
