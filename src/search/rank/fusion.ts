/**
 * Hybrid ranking: fuses a keyword and a vector ranking of the same candidates.
 *
 * Normalised score fusion (the default): over the candidate set (the union of both top lists), each score is
 * min-max scaled to [0, 1], and
 *
 *   fused(d) = keywordWeight * keyword~(d) + (1 - keywordWeight) * vector~(d)
 *
 * Both scores are known exactly for every candidate (BM25 is recomputed for vector-only candidates and the
 * cosine for keyword-only ones), so no candidate is penalised for missing from one list.
 *
 * Reciprocal rank fusion (Cormack et al. 2009), for engines whose scores are not comparable:
 *
 *   rrf(d) = sum over lists of weight / (k + rank(d))
 */

export interface FusionParams {
  /** Share of the keyword score in [0, 1]; tuned on SciFact train (2-fold checked). Default 0.5. */
  keywordWeight: number;
}

export const DEFAULT_FUSION: FusionParams = { keywordWeight: 0.5 };

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

/** Fused scores of candidates given each one's keyword and vector score (same order as the input). */
export function fuseScores(
  keyword: readonly number[],
  vector: readonly number[],
  params: FusionParams = DEFAULT_FUSION,
): number[] {
  const k = minMax(keyword);
  const v = minMax(vector);
  return k.map((x, i) => params.keywordWeight * x + (1 - params.keywordWeight) * (v[i] as number));
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
