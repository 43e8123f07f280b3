import { type Scored, TopK } from "../index/top-k.ts";
import { dot } from "./embedder.ts";

/**
 * Exact nearest neighbours by inner product over vectors kept in one Float32Array (row i = document i). Brute
 * force: fine up to some hundred thousand documents; an approximate index replaces it at a million.
 */
export class FlatVectorIndex {
  readonly dimensions: number;
  readonly vectors: Float32Array;

  constructor(dimensions: number, vectors: Float32Array) {
    if (vectors.length % dimensions !== 0) throw new Error("vector storage is not a whole number of rows");
    this.dimensions = dimensions;
    this.vectors = vectors;
  }

  static fromRows(dimensions: number, rows: readonly Float32Array[]): FlatVectorIndex {
    const vectors = new Float32Array(rows.length * dimensions);
    rows.forEach((row, i) => {
      vectors.set(row, i * dimensions);
    });
    return new FlatVectorIndex(dimensions, vectors);
  }

  get size(): number {
    return this.vectors.length / this.dimensions;
  }

  /** Row `doc` (a view, not a copy). */
  row(doc: number): Float32Array {
    return this.vectors.subarray(doc * this.dimensions, (doc + 1) * this.dimensions);
  }

  /** Inner product of the query with row `doc`. */
  score(query: Float32Array, doc: number): number {
    return dot(query, this.vectors, doc * this.dimensions);
  }

  /** The k rows with the highest inner product with `query`, best first. */
  search(query: Float32Array, k: number): Scored[] {
    const top = new TopK(k);
    const n = this.size;
    for (let d = 0; d < n; d++) top.offer(d, dot(query, this.vectors, d * this.dimensions));
    return top.sorted();
  }
}
