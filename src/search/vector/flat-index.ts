import { type Scored, TopK } from "../index/top-k.ts";
import { readContainer, writeContainer } from "../persist/container.ts";
import { dot } from "./embedder.ts";
import { type ExactVectors, rowCount, type VectorFilter, type VectorIndex } from "./vector-index.ts";

/**
 * Exact nearest neighbours by inner product over vectors kept in one Float32Array (row i = document i). Brute
 * force: a query reads every row, so it suits libraries up to some tens of thousands of papers; above that the
 * engine puts an `HnswVectorIndex` in front of it and keeps this one for exact scores.
 */
export class FlatVectorIndex implements VectorIndex, ExactVectors {
  readonly kind = "flat";
  readonly dimensions: number;
  /** Room for rows beyond `size`, so `add` grows in amortised constant time. */
  private storage: Float32Array;
  private count: number;

  constructor(dimensions: number, vectors: Float32Array) {
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new Error(`bad vector dimensions ${dimensions}`);
    this.dimensions = dimensions;
    this.count = rowCount(vectors, dimensions);
    this.storage = vectors;
  }

  static fromRows(dimensions: number, rows: readonly Float32Array[]): FlatVectorIndex {
    const vectors = new Float32Array(rows.length * dimensions);
    rows.forEach((row, i) => {
      if (row.length !== dimensions) throw new Error(`row ${i} has ${row.length} floats, not ${dimensions}`);
      vectors.set(row, i * dimensions);
    });
    return new FlatVectorIndex(dimensions, vectors);
  }

  /** Reads an index written by `save`. */
  static load(path: string): FlatVectorIndex {
    const { meta, arrays } = readContainer(path);
    const dimensions = (meta as { dimensions?: unknown }).dimensions;
    const vectors = arrays.vectors;
    if (typeof dimensions !== "number" || !(vectors instanceof Float32Array)) {
      throw new Error(`${path} is not a saved flat vector index`);
    }
    return new FlatVectorIndex(dimensions, vectors);
  }

  get size(): number {
    return this.count;
  }

  /** The rows held, one after another (a view, not a copy). */
  get vectors(): Float32Array {
    return this.storage.subarray(0, this.count * this.dimensions);
  }

  /** Row `doc` (a view, not a copy). */
  row(doc: number): Float32Array {
    return this.storage.subarray(doc * this.dimensions, (doc + 1) * this.dimensions);
  }

  /** Rows `start` .. `end` - 1 (a view). */
  rows(start: number, end: number): Float32Array {
    return this.storage.subarray(start * this.dimensions, end * this.dimensions);
  }

  /** Inner product of the query with row `doc`. */
  score(query: Float32Array, doc: number): number {
    return dot(query, this.storage, doc * this.dimensions);
  }

  /** The k rows with the highest inner product with `query`, best first (ties: lower document first). */
  search(query: Float32Array, k: number, filter?: VectorFilter): Scored[] {
    const top = new TopK(k);
    const n = this.count;
    const d = this.dimensions;
    for (let doc = 0; doc < n; doc++) {
      if (filter !== undefined && !filter(doc)) continue;
      top.offer(doc, dot(query, this.storage, doc * d));
    }
    return top.sorted();
  }

  add(rows: Float32Array): void {
    const added = rowCount(rows, this.dimensions);
    const needed = (this.count + added) * this.dimensions;
    if (needed > this.storage.length) {
      const grown = new Float32Array(Math.max(needed, this.storage.length * 2));
      grown.set(this.vectors);
      this.storage = grown;
    }
    this.storage.set(rows, this.count * this.dimensions);
    this.count += added;
  }

  save(path: string): void {
    writeContainer(path, { dimensions: this.dimensions }, { vectors: this.vectors });
  }
}
