import type { InvertedIndex } from "./index/inverted-index.ts";
import { matchPhrases } from "./index/phrase.ts";
import { topKAmong, topKMaxScore, type WeightedTerm } from "./index/retrieve.ts";
import type { Scored } from "./index/top-k.ts";
import type { ParsedQuery } from "./query/parse.ts";
import { idf } from "./rank/bm25.ts";
import { DEFAULT_EXACT_WEIGHT, exactTerms } from "./rank/exact-forms.ts";

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
  if (parsed.phrases.length === 0) return topKMaxScore(index, weighted, k);
  return topKAmong(index, weighted, phraseMatches(index, parsed), k);
}

/** The documents (ascending) containing every phrase of the query. */
export function phraseMatches(index: InvertedIndex, parsed: ParsedQuery): Uint32Array {
  return matchPhrases(
    index,
    parsed.phrases.map((p) => ({ termIds: p.terms.map((t) => index.termId(t)), offsets: p.offsets })),
  );
}
