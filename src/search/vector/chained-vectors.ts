import { ranksBefore, type Scored } from "../index/top-k.ts";
import type { FlatVectorIndex } from "./flat-index.ts";
import { nearestAsync } from "./nearest.ts";
import type { AsyncVectorIndex, ExactVectors, VectorIndex } from "./vector-index.ts";

/**
 * The vectors of a base segment (its exact rows and its candidate source: itself, an HNSW graph or pgvector)
 * followed by a small delta segment's exact rows. Document numbers are global: base documents first
 * (0 .. base.size-1), then the delta's. Base documents in `deleted` (changed or hidden since the base was
 * built) are never returned.
 */
export class ChainedVectors {
  constructor(
    readonly base: ExactVectors,
    readonly baseAnn: VectorIndex | AsyncVectorIndex,
    readonly oversample: number,
    readonly delta: FlatVectorIndex,
    readonly deleted: ReadonlySet<number>,
  ) {}

  get size(): number {
    return this.base.size + this.delta.size;
  }

  row(doc: number): Float32Array {
    return doc < this.base.size ? this.base.row(doc) : this.delta.row(doc - this.base.size);
  }

  score(query: Float32Array, doc: number): number {
    return doc < this.base.size ? this.base.score(query, doc) : this.delta.score(query, doc - this.base.size);
  }

  /** The k nearest live documents by exact inner product, best first; `keep` filters global numbers. */
  async nearest(query: Float32Array, k: number, keep?: (doc: number) => boolean): Promise<Scored[]> {
    if (k <= 0) return [];
    const baseSize = this.base.size;
    const deleted = this.deleted;
    const baseKeep =
      deleted.size === 0 && keep === undefined
        ? undefined
        : (doc: number) => !deleted.has(doc) && (keep === undefined || keep(doc));
    const fromBase = await nearestAsync(this.baseAnn, this.base, query, k, baseKeep, this.oversample);
    const fromDelta = this.delta
      .search(query, k, keep === undefined ? undefined : (doc) => keep(doc + baseSize))
      .map((h) => ({ doc: h.doc + baseSize, score: h.score }));
    return [...fromBase, ...fromDelta]
      .sort((a, b) => (ranksBefore(a.score, a.doc, b.score, b.doc) ? -1 : 1))
      .slice(0, k);
  }
}
