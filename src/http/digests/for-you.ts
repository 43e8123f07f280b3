/**
 * The "For you" list for the web: the same model and exclusions as the digests (src/search/recommend). The
 * candidates' corpus is built once and reused for CORPUS_TTL_MS, so a page view costs one reader's scoring.
 */
import {
  CANDIDATE_DAYS,
  candidatesUntil,
  type Recommendation,
  readerSignals,
  recommendFor,
  reusedCorpus,
} from "../../search/recommend/index.ts";
import type { Store } from "../../store/store.ts";

const CORPUS_TTL_MS = 10 * 60_000;

export function forYouSource(store: Store, now: () => Date) {
  const corpus = reusedCorpus(store, now, CORPUS_TTL_MS);
  const list = async (userId: string, limit = 20): Promise<Recommendation[]> =>
    recommendFor(store, await corpus(), userId, limit);
  /** Why a reader's list is empty, in a sentence that says what is missing. */
  const whyEmpty = async (userId: string): Promise<string> => {
    const [signals, candidates, until] = await Promise.all([
      readerSignals(store, userId),
      corpus(),
      candidatesUntil(store, now()),
    ]);
    const liked = signals.filter((s) => s.kind !== "not-interested").length;
    if (liked === 0) {
      return "Nothing to go on yet: you have not upvoted or saved a paper. Upvote papers or save them to your library, and papers like them appear here.";
    }
    if (candidates.size === 0) {
      return `Recommendations come from the papers of the ${CANDIDATE_DAYS} days up to the newest one in this library, and there are none yet.`;
    }
    return `None of the ${candidates.size} papers of the ${CANDIDATE_DAYS} days up to ${until} is close enough to the ${liked} paper${liked === 1 ? "" : "s"} you upvoted or saved, or they were already suggested in your digests or marked not interested. Upvote or save more papers to widen what is looked for.`;
  };
  return Object.assign(list, { whyEmpty });
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
