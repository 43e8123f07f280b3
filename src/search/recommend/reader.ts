/**
 * One reader's recommendations: their signals read from the store, scored against a shared corpus, leaving
 * out what they already have, dismissed or thumbed down, and what they were already shown. The digests, the
 * For-you page and `/api/for-you` all ask here, so they agree.
 *
 * Never twice: a paper in the library, thumbed down or marked not interested is never recommended; one a
 * digest suggested (`store.digests.suggested`) is never recommended again anywhere; one For-you or the API
 * showed (`store.recommend.shown`, by UTC day) is shown again on the same day only (so reloading the page
 * keeps its list) and never in a digest.
 */
import type { Paper } from "../../core/index.ts";
import type { Store } from "../../store/store.ts";
import type { Recommendation, RecommendationCorpus, Signal } from "./model.ts";

/** Recommendations asked for when the caller names no number (a digest's section). */
export const DEFAULT_RECOMMENDATIONS = 10;
/** Library items read as signals (newest saves first): enough for any real library. */
export const MAX_LIBRARY_SIGNALS = 2_000;
/** Upvotes read as signals (newest first). */
export const MAX_VOTE_SIGNALS = 200;

const LIBRARY_PAGE = 200;

async function libraryItems(store: Store, userId: string) {
  const items = [];
  for (let offset = 0; offset < MAX_LIBRARY_SIGNALS; offset += LIBRARY_PAGE) {
    const page = await store.community.library(userId, { limit: LIBRARY_PAGE, offset });
    items.push(...page.items);
    if (page.items.length < LIBRARY_PAGE || items.length >= page.total) break;
  }
  return items;
}

/**
 * A member's signals: library items, thumbs up and upvotes (positive, each paper once, in that order of
 * precedence), "not interested" and thumbs down (negative, which wins over any positive).
 */
export async function readerSignals(
  store: Store,
  userId: string,
  corpus?: RecommendationCorpus,
): Promise<Signal[]> {
  const [votes, library, dismissed, thumbs] = await Promise.all([
    store.community.votesOf(userId, MAX_VOTE_SIGNALS),
    libraryItems(store, userId),
    store.digests.dismissed(userId),
    store.recommend.thumbs(userId),
  ]);
  const negative = new Set([...dismissed, ...thumbs.filter((t) => t.thumb === "down").map((t) => t.paperId)]);
  const liked = thumbs.filter((t) => t.thumb === "up").map((t) => t.paperId);
  const ids = [
    ...new Set([
      ...library.map((i) => i.paperId as string),
      ...liked,
      ...votes.map((v) => v.paperId),
      ...negative,
    ]),
  ];
  // Papers the corpus has already been given are not read again (a reload, a digest run's repeats).
  const papers = corpus?.knownPapers(ids) ?? new Map<string, Paper>();
  const missing = ids.filter((id) => !papers.has(id));
  if (missing.length > 0) {
    const read = await store.getPapers(missing as Paper["id"][]);
    corpus?.remember(read);
    for (const p of read) papers.set(p.id, p);
  }
  const signals: Signal[] = [];
  const seen = new Set<string>(negative);
  const add = (id: string, kind: Signal["kind"], tags?: readonly string[]) => {
    const paper = papers.get(id);
    if (!paper || seen.has(id)) return;
    seen.add(id);
    signals.push(tags ? { paper, kind, tags } : { paper, kind });
  };
  for (const item of library) add(item.paperId, "saved", item.tags);
  for (const id of liked) add(id, "liked");
  for (const v of votes) add(v.paperId, "upvoted");
  for (const id of negative) {
    const paper = papers.get(id);
    if (paper) signals.push({ paper, kind: "not-interested" });
  }
  return signals;
}

/** Where recommendations are shown: a digest, or For-you and `/api/for-you` ("web"). */
export type Surface = "digest" | "web";

/**
 * The reader's top `limit` candidates from `corpus`, never one they have, dismissed or thumbed down, nor one
 * suggested before: for a digest, nothing shown anywhere before; for the web, nothing a digest suggested or
 * the web showed before `now`'s UTC day. Reads only; `forYou` records what the web shows.
 */
export async function recommendFor(
  store: Store,
  corpus: RecommendationCorpus,
  userId: string,
  limit = DEFAULT_RECOMMENDATIONS,
  options: { surface?: Surface; now?: Date } = {},
): Promise<Recommendation[]> {
  const [signals, suggested, shown] = await Promise.all([
    readerSignals(store, userId, corpus),
    store.digests.suggested(userId),
    store.recommend.shown(userId),
  ]);
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const exclude = new Set(suggested);
  for (const [id, day] of shown) {
    if (options.surface !== "web" || day < today) exclude.add(id);
  }
  return corpus.recommend(signals, exclude, limit);
}

/** The web's list (For-you, `/api/for-you`): recommendFor on the web, recorded as shown today. */
export async function forYou(
  store: Store,
  corpus: RecommendationCorpus,
  userId: string,
  limit: number,
  now: Date,
): Promise<Recommendation[]> {
  const recs = await recommendFor(store, corpus, userId, limit, { surface: "web", now });
  await store.recommend.recordShown(
    userId,
    recs.map((r) => r.paper.id),
    now,
  );
  return recs;
}
