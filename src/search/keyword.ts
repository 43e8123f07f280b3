import type { InvertedIndex } from "./index/inverted-index.ts";
import { matchPhrases } from "./index/phrase.ts";
import { topKAmong, topKMaxScore, type WeightedTerm } from "./index/retrieve.ts";
import type { Scored } from "./index/top-k.ts";
import type { ParsedQuery } from "./query/parse.ts";
import { idf } from "./rank/bm25.ts";
import { DEFAULT_EXACT_WEIGHT, exactTerms } from "./rank/exact-forms.ts";
import { DEFAULT_PROXIMITY, type ProximityParams, pairWeightFor, withPairBonuses } from "./rank/proximity.ts";

/** Keyword results whose word pairs are checked (`rank/proximity.ts`); deeper ones keep their BM25F score. */
export const PAIR_DEPTH = 100;

/**
 * Query-side weights: each distinct term gets its query weight (by default its count in the query) x idf, over
 * 255 for the 8-bit impacts. Terms the index has never seen are left out.
 */
export function weightTerms(index: InvertedIndex, weights: ReadonlyMap<string, number>): WeightedTerm[] {
  const n = index.documentCount;
  const out: WeightedTerm[] = [];
  for (const [term, w] of weights) {
    const termId = index.termId(term);
    if (termId < 0 || w <= 0) continue;
    out.push({ termId, weight: (w * idf(index.documentFrequency(termId), n)) / 255 });
  }
  return out;
}

/** Counts of each term in a list. */
export function termCounts(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/**
 * The weighted terms of a parsed query: its stems (weights from `weights`, by default once each) and, when the
 * index keeps exact forms, the words as typed (`rank/exact-forms.ts`).
 */
export function queryTerms(
  index: InvertedIndex,
  parsed: ParsedQuery,
  weights: ReadonlyMap<string, number> = termCounts(parsed.terms),
): WeightedTerm[] {
  const stems = weightTerms(index, weights);
  const exactWeight = index.data.params.exactWeight ?? DEFAULT_EXACT_WEIGHT;
  return [...stems, ...exactTerms(index, parsed.exact ?? [], exactWeight)];
}

/**
 * BM25F top-k for a parsed query, with the query's phrases as a filter. `weights` overrides the term weights
 * (for an expanded or re-weighted query); by default each query term counts as often as it occurs.
 */
export function keywordTopK(
  index: InvertedIndex,
  parsed: ParsedQuery,
  k: number,
  weights: ReadonlyMap<string, number> = termCounts(parsed.terms),
): Scored[] {
  if (parsed.problem !== null) return [];
  const weighted = queryTerms(index, parsed, weights);
  const depth = Math.max(k, Math.min(PAIR_DEPTH, k * 10));
  const hits =
    parsed.phrases.length === 0
      ? topKMaxScore(index, weighted, depth)
      : topKAmong(index, weighted, phraseMatches(index, parsed), depth);
  return withPairs(index, parsed, hits).slice(0, k);
}

/** The keyword score (BM25F, exact forms, word pairs) of each candidate (ascending document numbers). */
export function keywordScoresAmong(
  index: InvertedIndex,
  parsed: ParsedQuery,
  candidates: Uint32Array,
): Scored[] {
  const scored = topKAmong(index, queryTerms(index, parsed), candidates, candidates.length);
  return withPairBonuses(index, parsed.pairs ?? [], scored, proximityFor(index, parsed));
}

/** The pair parameters for this query: the index's pair weight, faded by the query's length. */
function proximityFor(index: InvertedIndex, parsed: ParsedQuery): ProximityParams {
  const params = {
    ...DEFAULT_PROXIMITY,
    pairWeight: index.data.params.pairWeight ?? DEFAULT_PROXIMITY.pairWeight,
  };
  const length = parsed.terms.length + params.stopWordWeight * (parsed.stopWords ?? 0);
  return { ...params, pairWeight: pairWeightFor(length, params) };
}

/**
 * Keyword hits (best first) with the query's kept word pairs added to the first `PAIR_DEPTH` of them; the
 * rest keep their scores, which no bonus lowers, so the list stays in order.
 */
export function withPairs(index: InvertedIndex, parsed: ParsedQuery, hits: readonly Scored[]): Scored[] {
  const params = proximityFor(index, parsed);
  const pairs = parsed.pairs ?? [];
  if (params.pairWeight <= 0 || pairs.length === 0) return [...hits];
  const head = withPairBonuses(index, pairs, hits.slice(0, PAIR_DEPTH), params);
  return [...head, ...hits.slice(PAIR_DEPTH)];
}

/** The documents (ascending) containing every phrase of the query. */
export function phraseMatches(index: InvertedIndex, parsed: ParsedQuery): Uint32Array {
  return matchPhrases(
    index,
    parsed.phrases.map((p) => ({ termIds: p.terms.map((t) => index.termId(t)), offsets: p.offsets })),
  );
}
