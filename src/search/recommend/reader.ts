/**
 * One reader's recommendations: their signals read from the store, scored against a shared corpus, leaving
 * out what they dismissed and what a digest already suggested to them. The digests, the For-you page and
 * `/api/for-you` all ask here, so they agree.
 */
import type { Paper } from "../../core/index.ts";
import type { Store } from "../../store/store.ts";
import type { Recommendation, RecommendationCorpus, Signal } from "./model.ts";

/** Recommendations asked for when the caller names no number (a digest's section). */
export const DEFAULT_RECOMMENDATIONS = 10;

/** A member's signals: upvotes and library items (positive), "not interested" (negative). */
export async function readerSignals(store: Store, userId: string): Promise<Signal[]> {
  const [votes, library, dismissed] = await Promise.all([
    store.community.votesOf(userId, 200),
    store.community.library(userId, { limit: 200 }),
    store.digests.dismissed(userId),
  ]);
  const ids = [
    ...new Set([...votes.map((v) => v.paperId), ...library.items.map((i) => i.paperId), ...dismissed]),
  ];
  const papers = new Map((await store.getPapers(ids as Paper["id"][])).map((p) => [p.id as string, p]));
  const signals: Signal[] = [];
  const negative = new Set(dismissed);
  for (const item of library.items) {
    const paper = papers.get(item.paperId);
    if (paper && !negative.has(paper.id)) signals.push({ paper, kind: "saved", tags: item.tags });
  }
  const saved = new Set(library.items.map((i) => i.paperId as string));
  for (const v of votes) {
    const paper = papers.get(v.paperId);
    if (paper && !saved.has(paper.id) && !negative.has(paper.id)) signals.push({ paper, kind: "upvoted" });
  }
  for (const id of dismissed) {
    const paper = papers.get(id);
    if (paper) signals.push({ paper, kind: "not-interested" });
  }
  return signals;
}

/** The reader's top `limit` candidates from `corpus`, never one suggested before nor one they dismissed. */
export async function recommendFor(
  store: Store,
  corpus: RecommendationCorpus,
  userId: string,
  limit = DEFAULT_RECOMMENDATIONS,
): Promise<Recommendation[]> {
  const [signals, suggested, dismissed] = await Promise.all([
    readerSignals(store, userId),
    store.digests.suggested(userId),
    store.digests.dismissed(userId),
  ]);
  return corpus.recommend(signals, new Set([...suggested, ...dismissed]), limit);
}
