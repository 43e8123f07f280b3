/**
 * The web's recommendations (For-you and `/api/for-you`): the same model and exclusions as the digests
 * (src/search/recommend), recorded as shown. The candidates' corpus is built once per app and reused for
 * CORPUS_TTL_MS, so a page view or API call costs one reader's scoring; the page and the API share it.
 */
import { z } from "zod";
import type { ArxivId } from "../../core/index.ts";
import {
  CANDIDATE_DAYS,
  candidatesUntil,
  forYou,
  type Recommendation,
  readerSignals,
  reusedCorpus,
} from "../../search/recommend/index.ts";
import type { Thumb } from "../../store/recommend/index.ts";
import type { AppDeps } from "../env.ts";

const CORPUS_TTL_MS = 10 * 60_000;

export type ForYouSource = ((userId: string, limit?: number) => Promise<Recommendation[]>) & {
  /** Why a reader's list is empty, in a sentence that says what is missing. */
  whyEmpty(userId: string): Promise<string>;
};

const sources = new WeakMap<AppDeps, ForYouSource>();

/** The app's For-you list: a reader's recommendations, recorded as shown today. */
export function forYouSource(deps: AppDeps): ForYouSource {
  let source = sources.get(deps);
  if (!source) {
    const { store, now } = deps;
    const corpus = reusedCorpus(store, now, CORPUS_TTL_MS);
    const list = async (userId: string, limit = 20) => forYou(store, await corpus(), userId, limit, now());
    const whyEmpty = async (userId: string): Promise<string> => {
      const [signals, candidates, until] = await Promise.all([
        readerSignals(store, userId),
        corpus(),
        candidatesUntil(store, now()),
      ]);
      const liked = signals.filter((s) => s.kind !== "not-interested").length;
      if (liked === 0) {
        return "Nothing to go on yet: you have not upvoted or saved a paper, nor thumbed one up. Upvote papers or save them to your library, and papers like them appear here.";
      }
      if (candidates.size === 0) {
        return `Recommendations come from the papers of the ${CANDIDATE_DAYS} days up to the newest one in this library, and there are none yet.`;
      }
      return `None of the ${candidates.size} papers of the ${CANDIDATE_DAYS} days up to ${until} is close enough to the ${liked} paper${liked === 1 ? "" : "s"} you upvoted, saved or liked, or they were already shown to you, suggested in your digests or thumbed down. Upvote or save more papers to widen what is looked for.`;
    };
    source = Object.assign(list, { whyEmpty });
    sources.set(deps, source);
  }
  return source;
}

const likedSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(["saved", "upvoted", "liked"]),
});

/** A recommendation as the API shows it. */
export const recommendationSchema = z.object({
  id: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  publishedAt: z.string().nullable(),
  score: z.number(),
  reason: z.string().describe("why: “In your tag “rl”, like …” or “Like … and … in your library”"),
  because: likedSchema,
  like: z.array(likedSchema).describe("the papers the reason names, nearest first"),
  tag: z.string().nullable().describe("the library tag whose profile chose the paper"),
  terms: z.array(z.string()).describe("the words that matched most"),
});

export function presentRecommendation(r: Recommendation): z.infer<typeof recommendationSchema> {
  return {
    id: r.paper.id,
    title: r.paper.title,
    authors: [...r.paper.authors],
    publishedAt: r.paper.publishedAt ?? null,
    score: Number(r.score.toFixed(4)),
    reason: r.reason,
    because: r.because,
    like: r.like,
    tag: r.tag,
    terms: r.terms,
  };
}

/**
 * Sets a member's thumb on a stored paper (null takes it back); false when there is no such paper. Up makes
 * the paper a positive seed of their profile, down a negative one that is never recommended.
 */
export async function setThumb(deps: AppDeps, userId: string, paperId: ArxivId, thumb: Thumb | null) {
  if (!(await deps.store.getPaper(paperId))) return false;
  await deps.store.recommend.setThumb(userId, paperId, thumb, deps.now());
  return true;
}
