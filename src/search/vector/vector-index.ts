import type { Scored } from "../index/top-k.ts";

/** Says whether a document may be returned (e.g. not the paper a "similar" list is for). */
export type VectorFilter = (doc: number) => boolean;

/**
 * Nearest neighbours by inner product over document vectors, document i being the i-th row added. Two
 * implementations: `FlatVectorIndex` (exact, brute force; small libraries) and `HnswVectorIndex` (approximate,
 * a usearch HNSW graph; a million papers). Vectors are unit length, so inner product is cosine.
 */
export interface VectorIndex {
  /** "flat" or "hnsw", as saved in the engine file. */
  readonly kind: "flat" | "hnsw";
  readonly dimensions: number;
  /** Documents held. */
  readonly size: number;
  /**
   * The k best documents for `query`, best first, among those `filter` accepts. Scores are inner products
   * (approximate for a quantised index: callers that need exact scores rescore the candidates).
   */
  search(query: Float32Array, k: number, filter?: VectorFilter): Scored[];
  /** Appends documents size, size + 1, ...: `rows` holds whole rows of `dimensions` floats. */
  add(rows: Float32Array): void;
  /** Writes the index to `path` (a temporary file renamed into place, so readers never see half a file). */
  save(path: string): void;
}

/** Checks that `rows` is a whole number of `dimensions`-long rows; returns how many. */
export function rowCount(rows: Float32Array, dimensions: number): number {
  if (rows.length % dimensions !== 0) {
    throw new Error(
      `vector storage of ${rows.length} floats is not a whole number of ${dimensions}-float rows`,
    );
  }
  return rows.length / dimensions;
}

/**
 * A nearest-neighbour index outside the process (pgvector in PostgreSQL, `PgVectorIndex`): it answers
 * asynchronously, so the engine awaits its candidates. Like the HNSW graph it only proposes candidates; the
 * engine rescores them with its exact vectors.
 */
export interface AsyncVectorIndex {
  readonly kind: "pgvector";
  readonly dimensions: number;
  /** Documents held. */
  readonly size: number;
  /** The k best documents for `query` among those `filter` accepts, best first, scored by inner product. */
  search(query: Float32Array, k: number, filter?: VectorFilter): Promise<Scored[]>;
}

/**
 * Every document's exact float vector (row i = document i): what candidates are rescored with, what "similar"
 * starts from and what keyword-only candidates' cosines are read from. `FlatVectorIndex` keeps the rows in
 * memory; `DiskVectors` reads the rows asked for from the engine file.
 */
export interface ExactVectors extends VectorIndex {
  /** "flat": as a candidate source, an exact search over every row. */
  readonly kind: "flat";
  /** Row `doc` (a view or a fresh copy: never written to). */
  row(doc: number): Float32Array;
  /** Inner product of the query with row `doc`. */
  score(query: Float32Array, doc: number): number;
  /** Rows `start` .. `end` - 1, one after another (a view or a copy). */
  rows(start: number, end: number): Float32Array;
}
