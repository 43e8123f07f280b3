import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createAnalyzer } from "../../core/text/analyzer.ts";
import { DEFAULT_HNSW_FROM, SearchEngine } from "../engine.ts";
import type { InvertedIndexData } from "../index/inverted-index.ts";
import { InvertedIndex } from "../index/inverted-index.ts";
import type { Bm25Params, Field } from "../rank/bm25.ts";
import type { FeedbackParams } from "../rank/feedback.ts";
import type { FusionParams } from "../rank/fusion.ts";
import { CorpusEmbedder } from "../vector/corpus-embedder.ts";
import { DiskVectors } from "../vector/disk-vectors.ts";
import type { Embedder } from "../vector/embedder.ts";
import { FlatVectorIndex } from "../vector/flat-index.ts";
import { type HnswOptions, HnswVectorIndex } from "../vector/hnsw-index.ts";
import type { VectorIndex } from "../vector/vector-index.ts";
import {
  FileBytes,
  readContainer,
  type StoredArray,
  type StreamedArray,
  writeContainer,
} from "./container.ts";

interface EngineMeta {
  ids: string[];
  terms: string[];
  params: Bm25Params;
  averageLength: Record<Field, number>;
  /** The exact-form index's vocabulary and field lengths (its arrays are stored as `exact.<name>`). */
  exact: { terms: string[]; averageLength: Record<Field, number> };
  fusion: FusionParams;
  feedback?: FeedbackParams;
  dimensions: number;
  /** The approximate vector index saved beside this file (a name in the same folder), if the engine has one. */
  ann?: { kind: "hnsw"; file: string; options: HnswOptions; oversample: number };
  /** Models concatenated in the built-in corpus embedder (see CorpusEmbedderModel). */
  embedderModels: number;
  /** Vocabulary of the built-in corpus embedder, or null when the engine used another embedder. */
  embedderTerms: string[] | null;
}

const INDEX_ARRAYS = [
  "df",
  "termMax",
  "postingStart",
  "blockStart",
  "blockLast",
  "blockMax",
  "blockDocByte",
  "blockPosByte",
  "docBytes",
  "posBytes",
  "impacts",
] as const;

/**
 * Saves an engine (keyword index, document vectors, and the built-in embedder's model) to one file, and its
 * HNSW graph, if it has one, to a new file beside it (`<name>.<token>.hnsw`) named in the engine file. Both
 * are written to temporary names and renamed into place, the graph first, so a reader opening the engine file
 * always finds the graph it names; a process that still has the old graph mapped keeps using it. Older graph
 * files of the same engine file are removed.
 */
export function saveEngine(engine: SearchEngine, path: string): void {
  const data = engine.index.data;
  const corpus = engine.embedder instanceof CorpusEmbedder ? engine.embedder.model : null;
  const exact = engine.index.exact?.data;
  if (exact === undefined) throw new Error("the engine's keyword index has no exact-form index to save");
  const meta: EngineMeta = {
    ids: data.ids,
    terms: data.terms,
    params: data.params,
    averageLength: data.averageLength,
    exact: { terms: exact.terms, averageLength: exact.averageLength },
    fusion: engine.fusion,
    feedback: engine.feedback,
    dimensions: engine.vectors.dimensions,
    embedderModels: corpus ? corpus.models : 0,
    embedderTerms: corpus ? corpus.terms : null,
  };
  const vectors = engine.vectors;
  const arrays: Record<string, StoredArray | StreamedArray> = {
    vectors: vectors instanceof DiskVectors ? vectors.streamed() : vectors.rows(0, vectors.size),
  };
  for (const name of INDEX_ARRAYS) {
    arrays[name] = data[name];
    arrays[`exact.${name}`] = exact[name];
  }
  // Positions left in the file the engine was loaded from are copied from there.
  if (data.positionsOnDisk instanceof FileBytes) arrays.posBytes = data.positionsOnDisk.streamed();
  if (exact.positionsOnDisk instanceof FileBytes) arrays["exact.posBytes"] = exact.positionsOnDisk.streamed();
  if (corpus) {
    arrays.embedderIdf = corpus.idf;
    arrays.embedderWeights = corpus.weights;
  }
  const graph = engine.ann instanceof HnswVectorIndex ? engine.ann : null;
  if (graph) {
    const file = `${basename(path)}.${Date.now().toString(36)}-${randomBytes(4).toString("hex")}.hnsw`;
    graph.save(join(dirname(path), file));
    meta.ann = { kind: "hnsw", file, options: graph.options, oversample: engine.oversample };
  }
  writeContainer(path, meta, arrays);
  removeOldGraphs(path, meta.ann?.file ?? null);
}

/** Deletes graph files of this engine file other than `keep` (Linux keeps a deleted file's open maps valid). */
function removeOldGraphs(path: string, keep: string | null): void {
  const prefix = `${basename(path)}.`;
  for (const name of readdirSync(dirname(path))) {
    if (name.startsWith(prefix) && name.endsWith(".hnsw") && name !== keep) {
      rmSync(join(dirname(path), name), { force: true });
    }
  }
}

export interface LoadEngineOptions {
  /** The embedder the engine was built with, when it was not the built-in corpus embedder. */
  embedder?: Embedder;
  /** Map the HNSW graph file instead of reading it into memory. Default true. */
  mmap?: boolean;
  /**
   * Where the exact document vectors are kept: "memory" (read whole), "disk" (left in the engine file, each
   * row read when needed: `DiskVectors`) or "auto" (default): disk from `DISK_VECTORS_FROM` documents, where
   * an HNSW graph or pgvector proposes candidates and only a few hundred rows are read per query.
   */
  vectors?: "memory" | "disk" | "auto";
  /**
   * Where the keyword indexes' positions are kept, the same way: "disk" reads a block's positions when a
   * phrase or proximity check needs them. Default "auto" (disk from `DISK_VECTORS_FROM` documents).
   */
  positions?: "memory" | "disk" | "auto";
}

/**
 * From this many documents a loaded engine leaves its float vectors in the file (`LoadEngineOptions.vectors`):
 * the engine's default HNSW threshold, below which the exact search reads every row on every query
 * (20,000 x 512 floats: 40 MiB).
 */
export const DISK_VECTORS_FROM = DEFAULT_HNSW_FROM;

/**
 * Loads an engine saved by `saveEngine`. An engine built with a custom embedder needs that embedder again
 * (the same model, for query vectors that match the stored document vectors).
 */
export function loadEngine(path: string, options: LoadEngineOptions = {}): SearchEngine {
  try {
    return readEngine(path, options);
  } catch (error) {
    // A save in another process may have replaced the engine file and removed the graph it named between our
    // reading the one and opening the other: the new engine file names a graph that exists, so read again.
    if (error instanceof MissingGraphError) return readEngine(path, options);
    throw error;
  }
}

class MissingGraphError extends Error {}

function readEngine(path: string, options: LoadEngineOptions): SearchEngine {
  const where = options.vectors ?? "auto";
  const positionsWhere = options.positions ?? "auto";
  const small = (meta: unknown) => (meta as EngineMeta).ids.length < DISK_VECTORS_FROM;
  const keep = (name: string, meta: unknown): boolean => {
    if (name === "vectors") return where === "memory" || (where === "auto" && small(meta));
    if (name === "posBytes" || name === "exact.posBytes")
      return positionsWhere === "memory" || (positionsWhere === "auto" && small(meta));
    return true;
  };
  const { meta: raw, arrays, located } = readContainer(path, undefined, keep);
  const meta = raw as EngineMeta;
  const analyzer = createAnalyzer();
  const data = {
    ids: meta.ids,
    terms: meta.terms,
    params: meta.params,
    averageLength: meta.averageLength,
  } as Partial<InvertedIndexData>;
  if (meta.exact === undefined)
    throw new Error(`${path} was written by an older version: rebuild the engine`);
  const exactData = {
    ids: meta.ids,
    terms: meta.exact.terms,
    params: meta.params,
    averageLength: meta.exact.averageLength,
  } as Partial<InvertedIndexData>;
  for (const [name, into] of [
    ["posBytes", data],
    ["exact.posBytes", exactData],
  ] as const) {
    const left = located[name];
    if (left === undefined) continue;
    if (left.kind !== "Uint8Array") throw new Error(`${path}: bad ${name}`);
    arrays[name] = new Uint8Array(0);
    into.positionsOnDisk = new FileBytes(path, left.offset, left.length);
  }
  for (const name of INDEX_ARRAYS) {
    const array = arrays[name];
    const exactArray = arrays[`exact.${name}`];
    if (!array || !exactArray) throw new Error(`${path}: missing ${name}`);
    (data as Record<string, unknown>)[name] = array;
    (exactData as Record<string, unknown>)[name] = exactArray;
  }
  let embedder = options.embedder;
  if (!embedder) {
    const idf = arrays.embedderIdf;
    const weights = arrays.embedderWeights;
    if (meta.embedderTerms === null || !(idf instanceof Float32Array) || !(weights instanceof Float32Array)) {
      throw new Error(`${path} was built with a custom embedder: pass it to loadEngine`);
    }
    embedder = new CorpusEmbedder(
      { dimensions: meta.dimensions, models: meta.embedderModels, terms: meta.embedderTerms, idf, weights },
      analyzer,
    );
  }
  if (embedder.dimensions !== meta.dimensions) {
    throw new Error(
      `${path} holds ${meta.dimensions}-dimensional vectors; the embedder gives ${embedder.dimensions}`,
    );
  }
  const rows = arrays.vectors;
  const onDisk = located.vectors;
  let vectors: FlatVectorIndex | DiskVectors;
  if (rows instanceof Float32Array) vectors = new FlatVectorIndex(meta.dimensions, rows);
  else if (onDisk?.kind === "Float32Array" && onDisk.length === meta.ids.length * meta.dimensions)
    vectors = new DiskVectors(path, onDisk.offset, meta.dimensions, meta.ids.length);
  else throw new Error(`${path}: missing vectors`);
  let ann: VectorIndex | undefined;
  if (meta.ann) {
    if (basename(meta.ann.file) !== meta.ann.file) throw new Error(`${path}: bad graph file name`);
    const graphPath = join(dirname(path), meta.ann.file);
    if (!existsSync(graphPath)) throw new MissingGraphError(`${path} names ${graphPath}, which is missing`);
    ann = HnswVectorIndex.open(graphPath, meta.dimensions, meta.ann.options, options.mmap ?? true);
  }
  return new SearchEngine({
    index: new InvertedIndex(data as InvertedIndexData, new InvertedIndex(exactData as InvertedIndexData)),
    vectors,
    ann,
    oversample: meta.ann?.oversample,
    embedder,
    fusion: meta.fusion,
    feedback: meta.feedback,
    analyzer,
  });
}
