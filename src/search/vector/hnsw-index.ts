import { renameSync, rmSync } from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Index, MetricKind, ScalarKind } from "usearch";
import type { Scored } from "../index/top-k.ts";
import { rowCount, type VectorFilter, type VectorIndex } from "./vector-index.ts";

/** How the HNSW graph is built and searched (usearch's parameters under our names). */
export interface HnswOptions {
  /**
   * How vectors are stored in the graph: "i8" (a quarter of float memory: 512 MiB for a million 512-float
   * vectors), "f16" (half) or "f32". The engine rescores candidates with the exact float vectors, so
   * quantisation only decides which candidates are found. Default "i8".
   */
  quantization?: "i8" | "f16" | "f32";
  /** Neighbours per node (HNSW's M): more is better recall, more memory and slower building. Default 16. */
  connectivity?: number;
  /** Candidate list size while inserting (efConstruction). Default 128. */
  expansionAdd?: number;
  /** Candidate list size while searching (ef); a search for k > ef uses k. Default 128. */
  expansionSearch?: number;
  /** Threads `add` uses; 0: all cores. Searches use one (a server answers many at once). Default 0. */
  threads?: number;
}

export const DEFAULT_HNSW: Required<HnswOptions> = {
  quantization: "i8",
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 128,
  threads: 0,
};

const SCALARS = { i8: ScalarKind.I8, f16: ScalarKind.F16, f32: ScalarKind.F32 } as const;

/** Rows added per call while building, between which other work (searches on an old engine) gets a turn. */
const BUILD_CHUNK = 2_048;

/**
 * Approximate nearest neighbours by cosine over a usearch HNSW graph: a query visits a few thousand nodes
 * instead of every row, so a million papers answer in milliseconds. Built in chunks (`build`) so a process
 * keeps serving while it builds; saved to its own file and opened memory-mapped (`open`), so a server maps it
 * instead of reading it, and a rebuild writes a new file while readers keep the old one mapped.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly kind = "hnsw";
  readonly dimensions: number;
  readonly options: Required<HnswOptions>;
  private readonly native: Index;
  /** Opened with `view`: read-only, backed by the file. */
  private readonly mapped: boolean;

  private constructor(dimensions: number, options: HnswOptions, mapped: boolean) {
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new Error(`bad vector dimensions ${dimensions}`);
    this.dimensions = dimensions;
    this.options = { ...DEFAULT_HNSW, ...options };
    if (!(this.options.quantization in SCALARS)) {
      throw new Error(`unknown vector quantization "${this.options.quantization}": use i8, f16 or f32`);
    }
    this.mapped = mapped;
    this.native = new Index({
      dimensions,
      metric: MetricKind.Cos,
      quantization: SCALARS[this.options.quantization],
      connectivity: this.options.connectivity,
      expansion_add: this.options.expansionAdd,
      expansion_search: this.options.expansionSearch,
      multi: false,
    });
  }

  /** An empty index to `add` to. */
  static empty(dimensions: number, options: HnswOptions = {}): HnswVectorIndex {
    return new HnswVectorIndex(dimensions, options, false);
  }

  /** Builds an index over `rows` (document i = row i), yielding to the event loop between chunks. */
  static async build(
    dimensions: number,
    rows: Float32Array,
    options: HnswOptions = {},
  ): Promise<HnswVectorIndex> {
    const index = HnswVectorIndex.empty(dimensions, options);
    const total = rowCount(rows, dimensions);
    for (let start = 0; start < total; start += BUILD_CHUNK) {
      const end = Math.min(total, start + BUILD_CHUNK);
      index.add(rows.subarray(start * dimensions, end * dimensions));
      await nextTurn();
    }
    return index;
  }

  /**
   * Opens a file written by `save`. Memory-mapped by default (read-only, pages shared between processes and
   * kept valid even after a rebuild renames a new file over this one); `mmap: false` reads it into memory so
   * more rows can be added.
   */
  static open(path: string, dimensions: number, options: HnswOptions = {}, mmap = true): HnswVectorIndex {
    const index = new HnswVectorIndex(dimensions, options, mmap);
    try {
      if (mmap) index.native.view(path);
      else index.native.load(path);
    } catch (error) {
      throw new Error(`cannot open vector index ${path}: ${(error as Error).message}`);
    }
    if (index.native.dimensions() !== dimensions) {
      throw new Error(`${path} holds ${index.native.dimensions()}-dimensional vectors, not ${dimensions}`);
    }
    return index;
  }

  get size(): number {
    return this.native.size();
  }

  search(query: Float32Array, k: number, filter?: VectorFilter): Scored[] {
    const size = this.size;
    if (k <= 0 || size === 0) return [];
    if (query.length !== this.dimensions) {
      throw new Error(`query has ${query.length} dimensions; the index holds ${this.dimensions}`);
    }
    // The graph cannot filter while it walks, so fetch more than k and widen until enough pass the filter.
    let fetch = filter === undefined ? k : 2 * k + 8;
    for (;;) {
      const want = Math.min(size, fetch);
      const found = this.native.search(query, want, 1);
      const out: Scored[] = [];
      for (let i = 0; i < found.keys.length && out.length < k; i++) {
        const doc = Number(found.keys[i]);
        if (filter !== undefined && !filter(doc)) continue;
        out.push({ doc, score: 1 - (found.distances[i] as number) });
      }
      if (out.length >= k || want >= size) return out;
      fetch = want * 4;
    }
  }

  add(rows: Float32Array): void {
    if (this.mapped)
      throw new Error("a memory-mapped vector index is read-only; open it with mmap false to add");
    const added = rowCount(rows, this.dimensions);
    if (added === 0) return;
    const first = this.size;
    const keys = new BigUint64Array(added);
    for (let i = 0; i < added; i++) keys[i] = BigInt(first + i);
    this.native.add(keys, rows, this.options.threads);
  }

  save(path: string): void {
    const temporary = `${path}.tmp-${process.pid}`;
    try {
      this.native.save(temporary);
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}
