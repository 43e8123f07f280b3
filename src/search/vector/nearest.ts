import { ranksBefore, type Scored } from "../index/top-k.ts";
import type { AsyncVectorIndex, ExactVectors, VectorFilter, VectorIndex } from "./vector-index.ts";

/**
 * Candidates fetched from an approximate index per result wanted, before exact rescoring. On random unit
 * vectors (32 dimensions, 20,000 rows) an i8 graph's recall@10 goes from 0.94 alone to 0.99 with 2.
 */
export const DEFAULT_OVERSAMPLE = 2;

/**
 * The k documents with the highest exact inner product with `query`, best first: straight from `exact` when
 * `ann` is flat, else `ann`'s top k x `oversample` candidates rescored with the exact float vectors (so a
 * quantised graph only decides which documents are looked at, never their scores).
 */
export function nearest(
  ann: VectorIndex,
  exact: ExactVectors,
  query: Float32Array,
  k: number,
  filter?: VectorFilter,
  oversample = DEFAULT_OVERSAMPLE,
): Scored[] {
  if (ann.kind === "flat" || k <= 0) return exact.search(query, k, filter);
  return rescore(ann.search(query, candidateCount(k, oversample), filter), exact, query, k);
}

/**
 * `nearest` for any candidate source, including one that answers asynchronously (pgvector): the same exact
 * rescoring of k x `oversample` candidates, so results do not depend on where the candidates came from.
 */
export async function nearestAsync(
  ann: VectorIndex | AsyncVectorIndex,
  exact: ExactVectors,
  query: Float32Array,
  k: number,
  filter?: VectorFilter,
  oversample = DEFAULT_OVERSAMPLE,
): Promise<Scored[]> {
  if (ann.kind !== "pgvector") return nearest(ann, exact, query, k, filter, oversample);
  if (k <= 0) return [];
  return rescore(await ann.search(query, candidateCount(k, oversample), filter), exact, query, k);
}

function candidateCount(k: number, oversample: number): number {
  return Math.ceil(k * Math.max(1, oversample));
}

/** The k best candidates by their exact inner product with `query`. */
function rescore(
  candidates: readonly Scored[],
  exact: ExactVectors,
  query: Float32Array,
  k: number,
): Scored[] {
  return candidates
    .map((c) => ({ doc: c.doc, score: exact.score(query, c.doc) }))
    .sort((a, b) => (ranksBefore(a.score, a.doc, b.score, b.doc) ? -1 : 1))
    .slice(0, k);
}
