/**
 * Hybrid ranking: fuses a keyword and a vector ranking of the same candidates.
 *
 * Normalised score fusion: over the candidate set (the union of both top lists), each score is min-max scaled
 * to [0, 1], and
 *
 *   fused(d) = (1 - share) * keyword~(d) + share * vector~(d)
 *
 * Both scores are known exactly for every candidate (BM25 is recomputed for vector-only candidates and the
 * cosine for keyword-only ones), so no candidate is penalised for missing from one list.
 *
 * The vector side's share depends on the query (`vectorShare`): a reader typing two or three words wants the
 * papers that have them (a name, a method, a paper's key phrases), and the embedder's neighbours of such a
 * short query only blur that; a sentence-long claim is where meaning beyond the words pays. So
 *
 *   share = maxVectorShare * ramp(length) * coverage
 *   length      = distinct content words + stopWordWeight * stop words (a sentence reads longer than key phrases)
 *   ramp(length) = 0 up to a length of `keywordOnlyUpTo`, 1 from `fullShareFrom`, linear between
 *   coverage    = the share of the query's words the embedder knows (a name it never saw gives it nothing)
 *
 * Measured on every query family (bench/search/README.md, "query families"): a fixed share of 0.5 cost the
 * author, known-item and title-phrase families 6-15 points of nDCG@10 against the keyword mode alone, and
 * helped SciFact claims.
 *
 * Reciprocal rank fusion (Cormack et al. 2009), for engines whose scores are not comparable:
 *
 *   rrf(d) = sum over lists of weight / (k + rank(d))
 */

export interface FusionParams {
  /**
   * What a stop word adds to the query's length, against a content word's 1: a claim ("X is associated with
   * an increased risk of Y") reads longer than a list of key phrases with as many content words. Default 1
   * (the length is then the words typed); 2 helped SciFact claims by 0.3 points but cost title phrases 1.4.
   */
  stopWordWeight: number;
  /** The vector side's share for a long query whose words the embedder all knows. Default 0.5. */
  maxVectorShare: number;
  /** Queries of at most this many distinct content words rank by keywords (vector only breaks ties). Default 5. */
  keywordOnlyUpTo: number;
  /** Queries of at least this many distinct content words give the vector side its full share. Default 10. */
  fullShareFrom: number;
}

export const DEFAULT_FUSION: FusionParams = {
  maxVectorShare: 0.5,
  keywordOnlyUpTo: 5,
  fullShareFrom: 10,
  stopWordWeight: 1,
};

/** What fusion reads of a query. */
export interface QueryShape {
  /** Distinct content words (stems, stop words left out). */
  words: number;
  /** Stop words typed. */
  stopWords: number;
  /** Share in [0, 1] of those words the embedder knows (1 for a served model, which reads any word). */
  coverage: number;
}

/** The vector score's share in [0, maxVectorShare] for a query of this shape. */
export function vectorShare(shape: QueryShape, params: FusionParams = DEFAULT_FUSION): number {
  const { keywordOnlyUpTo: from, fullShareFrom: to } = params;
  const length = queryLength(shape, params);
  const ramp = length <= from ? 0 : length >= to ? 1 : (length - from) / Math.max(1, to - from);
  const coverage = Math.min(1, Math.max(0, shape.coverage));
  return params.maxVectorShare * ramp * coverage;
}

/** The query's length as fusion reads it: content words, plus stop words at `stopWordWeight` each. */
export function queryLength(shape: QueryShape, params: FusionParams = DEFAULT_FUSION): number {
  return shape.words + params.stopWordWeight * shape.stopWords;
}

/** Vector score's weight when its share is 0: it only orders papers whose keyword scores tie. */
const TIE_BREAK = 1e-6;

function minMax(values: readonly number[]): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return values.map((v) => (span > 0 ? (v - lo) / span : 0));
}

/**
 * Fused scores of candidates given each one's keyword and vector score (same order as the input) and the
 * vector side's share in [0, 1].
 */
export function fuseScores(keyword: readonly number[], vector: readonly number[], share: number): number[] {
  const k = minMax(keyword);
  const v = minMax(vector);
  const s = Math.min(1, Math.max(TIE_BREAK, share));
  return k.map((x, i) => (1 - s) * x + s * (v[i] as number));
}

export interface RrfParams {
  /** Damping constant: larger k flattens the advantage of top ranks. Default 60. */
  k: number;
}

/** RRF over ranked lists of ids (best first), each with a weight; returns ids with fused scores, best first. */
export function reciprocalRankFusion(
  lists: ReadonlyArray<{ ids: readonly string[]; weight?: number }>,
  params: RrfParams = { k: 60 },
): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const { ids, weight = 1 } of lists) {
    ids.forEach((id, rank) => {
      scores.set(id, (scores.get(id) ?? 0) + weight / (params.k + rank + 1));
    });
  }
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
