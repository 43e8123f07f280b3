import type { InvertedIndex, PostingCursor } from "../index/inverted-index.ts";
import type { Scored } from "../index/top-k.ts";
import { idf } from "./bm25.ts";

/**
 * Word pairs kept together. A reader's query is often two or three short key phrases run together
 * ("contrastive learning image-text pairs"); BM25 scores the words one by one, so a paper that merely uses
 * "learning" and "pairs" somewhere ranks level with the one that says "contrastive learning" and "image-text
 * pairs". Each pair of successive query words (`QueryPair`) found in a document in the same order, at most
 * `window` words further apart than in the query, adds
 *
 *   pairWeight * (idf(first) + idf(second)) / 2
 *
 * once per pair, to the keyword score of the first keyword results (positions are read only there).
 *
 * The weight fades with the query's length (distinct content words + `stopWordWeight` x stop words): up to
 * `fullUpTo` it is whole, from `offFrom` it is 0, linear between. A sentence-long claim's successive words
 * are prose, not key phrases: on SciFact claims pairs faded over 6-12 cost 0.4 points of hybrid nDCG@10, over
 * 4-10 none, while on the short families they gained 10-18 points (bench/search/README.md, "query families").
 */
export interface ProximityParams {
  /** Weight of a kept pair against one word's full BM25 score (idf). 0 turns pairs off. Default 1.5. */
  pairWeight: number;
  /** Extra words allowed between the pair in the document. Default 1. */
  window: number;
  /** Queries up to this length get the whole weight. Default 4. */
  fullUpTo: number;
  /** Queries from this length on get none. Default 10. */
  offFrom: number;
  /**
   * What a stop word adds to the query's length here, against a content word's 1: claims are sentences,
   * key phrases rarely have stop words. Default 2.
   */
  stopWordWeight: number;
}

export const DEFAULT_PROXIMITY: ProximityParams = {
  pairWeight: 1.5,
  window: 1,
  fullUpTo: 4,
  offFrom: 10,
  stopWordWeight: 2,
};

/** The pair weight for a query of `words` distinct words. */
export function pairWeightFor(words: number, params: ProximityParams = DEFAULT_PROXIMITY): number {
  const { fullUpTo, offFrom } = params;
  if (words <= fullUpTo) return params.pairWeight;
  if (words >= offFrom) return 0;
  return (params.pairWeight * (offFrom - words)) / Math.max(1, offFrom - fullUpTo);
}

/** Two successive query words (stems) and how far apart they were typed (1: adjacent). */
export interface QueryPair {
  first: string;
  second: string;
  gap: number;
}

/** The bonus of each listed document (same order), given the query's pairs. */
export function pairBonuses(
  index: InvertedIndex,
  pairs: readonly QueryPair[],
  docs: readonly number[],
  params: ProximityParams = DEFAULT_PROXIMITY,
): Float64Array {
  const bonus = new Float64Array(docs.length);
  if (params.pairWeight <= 0 || pairs.length === 0 || docs.length === 0) return bonus;
  // The caller passes the weight already faded for the query's length (`pairWeightFor`).
  const n = index.documentCount;
  const order = [...docs.keys()].sort((a, b) => (docs[a] as number) - (docs[b] as number));
  for (const pair of pairs) {
    const a = index.termId(pair.first);
    const b = index.termId(pair.second);
    if (a < 0 || b < 0 || a === b) continue;
    const weight =
      (params.pairWeight * (idf(index.documentFrequency(a), n) + idf(index.documentFrequency(b), n))) / 2;
    const ca = index.cursor(a);
    const cb = index.cursor(b);
    for (const i of order) {
      const doc = docs[i] as number;
      if (ca.advance(doc) !== doc || cb.advance(doc) !== doc) continue;
      if (near(ca, cb, pair.gap + params.window)) bonus[i] = (bonus[i] as number) + weight;
    }
  }
  return bonus;
}

/** Whether some position of the second term follows one of the first within `reach` words. */
function near(first: PostingCursor, second: PostingCursor, reach: number): boolean {
  const p = first.positions();
  const q = second.positions();
  let j = 0;
  for (const x of p) {
    while (j < q.length && (q[j] as number) <= x) j++;
    if (j < q.length && (q[j] as number) - x <= reach) return true;
  }
  return false;
}

/** Keyword hits with their pair bonuses added, best first (ties by document number). */
export function withPairBonuses(
  index: InvertedIndex,
  pairs: readonly QueryPair[],
  hits: readonly Scored[],
  params: ProximityParams = DEFAULT_PROXIMITY,
): Scored[] {
  const bonus = pairBonuses(
    index,
    pairs,
    hits.map((h) => h.doc),
    params,
  );
  return hits
    .map((h, i) => ({ doc: h.doc, score: h.score + (bonus[i] as number) }))
    .sort((x, y) => y.score - x.score || x.doc - y.doc);
}
