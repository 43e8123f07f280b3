/**
 * Personal recommendations, below both the web (For you, `/api/for-you`) and the digests: the model
 * (`model.ts`), its candidates (`candidates.ts`) and a reader's signals, exclusions and list (`reader.ts`).
 * It reads the store and search's text analysis; it never imports the web, mail or jobs.
 */
export {
  buildCorpus,
  CANDIDATE_DAYS,
  candidatesUntil,
  MAX_CANDIDATES,
  recentPapers,
  reusedCorpus,
} from "./candidates.ts";
export {
  DEFAULT_RECOMMEND_PARAMS,
  type Liked,
  type PositiveKind,
  type Recommendation,
  RecommendationCorpus,
  type RecommendParams,
  type Signal,
} from "./model.ts";
export {
  DEFAULT_RECOMMENDATIONS,
  forYou,
  MAX_LIBRARY_SIGNALS,
  readerSignals,
  recommendFor,
  type Surface,
} from "./reader.ts";
