import { closeSync, openSync, writeSync } from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { type Analyzer, createAnalyzer } from "../core/text/analyzer.ts";
import type { Logger } from "../log.ts";
import type { DocumentList } from "./documents.ts";
import { buildKeywordIndex } from "./index/build.ts";
import type { InvertedIndex } from "./index/inverted-index.ts";
import { type Scored, TopK } from "./index/top-k.ts";
import { keywordScoresAmong, keywordTopK, phraseMatches } from "./keyword.ts";
import { type ParsedQuery, parseQuery } from "./query/parse.ts";
import { type Bm25Params, DEFAULT_BM25 } from "./rank/bm25.ts";
import { DEFAULT_FEEDBACK, type FeedbackParams, rocchio } from "./rank/feedback.ts";
import {
  DEFAULT_FUSION,
  type FusionParams,
  fuseScores,
  type QueryShape,
  vectorShare,
} from "./rank/fusion.ts";
import type { SearchDocument, SearchHit } from "./types.ts";
import { CorpusEmbedder } from "./vector/corpus-embedder.ts";
import { DiskVectors } from "./vector/disk-vectors.ts";
import type { Embedder } from "./vector/embedder.ts";
import { FlatVectorIndex } from "./vector/flat-index.ts";
import { type HnswOptions, HnswVectorIndex } from "./vector/hnsw-index.ts";
import { DEFAULT_OVERSAMPLE, nearestAsync } from "./vector/nearest.ts";
import { type TrainOptions, trainCorpusEmbedder } from "./vector/train.ts";
import type { AsyncVectorIndex, ExactVectors, VectorIndex } from "./vector/vector-index.ts";

export type SearchMode = "keyword" | "vector" | "hybrid";

export interface SearchOptions {
  /** keyword (BM25F), vector (embeddings) or hybrid (both, fused). Default hybrid. */
  mode?: SearchMode;
  /** Number of results. Default 10, at most 1000. */
  limit?: number;
  /** How deep each side is read before fusing (hybrid only). Default 100 or `limit`, whichever is larger. */
  depth?: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Things to tell the user about their query (cut, unbalanced quote). */
  notes: string[];
  /** Set when the query could not be searched (empty, only common words); `hits` is then empty. */
  problem: string | null;
}

export interface EngineOptions {
  bm25?: Bm25Params;
  fusion?: FusionParams;
  feedback?: FeedbackParams;
  /** Another embedder (a served model); by default one is trained on the documents (see `train`). */
  embedder?: Embedder;
  /** Training options of the default corpus embedder. */
  train?: TrainOptions;
  /** Documents embedded per call to a custom embedder. Default 64. */
  embedBatchSize?: number;
  /** Which vector index answers nearest-neighbour queries. */
  vectorIndex?: VectorIndexOptions;
  /**
   * Embed into this file (created or truncated) instead of memory: each batch's float rows are written to it
   * and added to the HNSW graph as they come, and the engine reads its exact vectors from it (`DiskVectors`),
   * so a large library's floats are never all in memory while building. The caller removes the file once
   * the engine is saved. Default: in memory.
   */
  vectorFile?: string;
  logger?: Logger;
}

export interface VectorIndexOptions {
  /**
   * From this many documents on, an HNSW graph finds the vector side's candidates; below, every vector is read
   * (exact, and on this machine still a few milliseconds). Default 20,000.
   */
  hnswFrom?: number;
  hnsw?: HnswOptions;
  /** Candidates taken from the graph per result wanted, rescored exactly. Default 2. */
  oversample?: number;
}

export const DEFAULT_HNSW_FROM = 20_000;

/** The parts of an engine; `persist/engine-file.ts` saves and loads them. */
export interface EngineParts {
  index: InvertedIndex;
  /**
   * Every document's vector (row i = document i): exact scores, feedback and "similar" queries. In memory
   * (`FlatVectorIndex`) or read row by row from the engine file (`DiskVectors`): the same floats either way.
   */
  vectors: ExactVectors;
  /**
   * Finds nearest-neighbour candidates; default `vectors` itself (exact search). An asynchronous one
   * (pgvector) is attached to a loaded engine with `withAnn`.
   */
  ann?: VectorIndex | AsyncVectorIndex;
  /** Candidates taken from `ann` per result wanted when it is approximate. Default 2. */
  oversample?: number;
  embedder: Embedder;
  fusion: FusionParams;
  /** Vector-side pseudo-relevance feedback of the hybrid mode. Default DEFAULT_FEEDBACK. */
  feedback?: FeedbackParams;
  analyzer: Analyzer;
}

/**
 * Search over a fixed set of papers by words (BM25F with phrases), by meaning (embeddings) or both (fused).
 * Build it once from the documents (`SearchEngine.build`), save it and load it on start
 * (`saveEngine`/`loadEngine`); rebuild (which retrains the corpus embedder) when the library has grown.
 *
 * Hybrid ranking: the keyword and vector top `depth` lists are merged; for every candidate both its BM25F score
 * and its cosine are computed and fused (`fuseScores`), optionally after vector-side feedback (`rocchio`).
 *
 * Vector side: below `hnswFrom` documents every document vector is read (exact); above, an HNSW graph
 * (`ann`: usearch in process, or pgvector in PostgreSQL) proposes candidates that are rescored with the exact
 * vectors, so scores never depend on the graph. `similar` uses the same path with a paper's own vector as the
 * query.
 */
export class SearchEngine {
  readonly index: InvertedIndex;
  readonly vectors: ExactVectors;
  readonly ann: VectorIndex | AsyncVectorIndex;
  readonly oversample: number;
  readonly embedder: Embedder;
  readonly fusion: FusionParams;
  readonly feedback: FeedbackParams;
  readonly analyzer: Analyzer;
  /** Document number of each id, made on the first `similar` call. */
  private docNumbers: Map<string, number> | null = null;

  constructor(parts: EngineParts) {
    if (parts.vectors.size !== parts.index.documentCount) {
      throw new Error(
        `the engine has ${parts.index.documentCount} documents but ${parts.vectors.size} document vectors`,
      );
    }
    if (parts.ann !== undefined && parts.ann.size !== parts.vectors.size) {
      throw new Error(`the vector index holds ${parts.ann.size} documents, the engine ${parts.vectors.size}`);
    }
    this.feedback = parts.feedback ?? DEFAULT_FEEDBACK;
    this.index = parts.index;
    this.vectors = parts.vectors;
    this.ann = parts.ann ?? parts.vectors;
    this.oversample = parts.oversample ?? DEFAULT_OVERSAMPLE;
    this.embedder = parts.embedder;
    this.fusion = parts.fusion;
    this.analyzer = parts.analyzer;
  }

  static async build(docs: DocumentList, options: EngineOptions = {}): Promise<SearchEngine> {
    const analyzer = createAnalyzer();
    const log = options.logger;
    let started = performance.now();
    const index = buildKeywordIndex(docs, analyzer, options.bm25 ?? DEFAULT_BM25);
    log?.info("keyword index built", {
      docs: docs.length,
      terms: index.termCount,
      ms: ms(started),
      rssMiB: rssMiB(),
    });
    started = performance.now();
    let embedder = options.embedder;
    let embed: (batch: readonly SearchDocument[]) => Promise<Float32Array[]>;
    let batchSize: number;
    if (embedder === undefined) {
      const corpus = trainCorpusEmbedder(docs, analyzer, { ...options.train, logger: log });
      embedder = corpus;
      log?.info("embedder trained", {
        words: corpus.model.terms.length,
        ms: ms(started),
        rssMiB: rssMiB(),
      });
      started = performance.now();
      embed = async (batch) => batch.map((d) => corpus.embedDocument(d.title, d.abstract));
      batchSize = 1024;
    } else {
      const custom = embedder;
      embed = (batch) => custom.embed(batch.map((d) => `${d.title}. ${d.abstract}`));
      batchSize = options.embedBatchSize ?? 64;
    }
    let vectors: ExactVectors;
    let ann: VectorIndex | undefined;
    const approximate = docs.length >= (options.vectorIndex?.hnswFrom ?? DEFAULT_HNSW_FROM);
    // A small library's vectors stay in memory (its exact search reads all of them on every query).
    if (options.vectorFile === undefined || !approximate) {
      const flat = await embedAll(docs, embedder.dimensions, batchSize, embed);
      log?.info("documents embedded", { ms: ms(started), rssMiB: rssMiB() });
      vectors = flat;
      ann = await buildVectorIndex(flat, options.vectorIndex, log);
    } else {
      const graph = HnswVectorIndex.empty(embedder.dimensions, options.vectorIndex?.hnsw);
      vectors = await embedToFile(docs, embedder.dimensions, batchSize, embed, options.vectorFile, graph);
      log?.info("documents embedded, vector graph built", {
        docs: graph.size,
        quantization: graph.options.quantization,
        ms: ms(started),
        rssMiB: rssMiB(),
      });
      ann = graph;
    }
    return new SearchEngine({
      index,
      vectors,
      ann,
      oversample: options.vectorIndex?.oversample,
      embedder,
      fusion: options.fusion ?? DEFAULT_FUSION,
      feedback: options.feedback ?? DEFAULT_FEEDBACK,
      analyzer,
    });
  }

  get size(): number {
    return this.index.documentCount;
  }

  /** This engine with another candidate source (the pgvector index of the build it was loaded from). */
  withAnn(ann: VectorIndex | AsyncVectorIndex): SearchEngine {
    return new SearchEngine({
      index: this.index,
      vectors: this.vectors,
      ann,
      oversample: this.oversample,
      embedder: this.embedder,
      fusion: this.fusion,
      feedback: this.feedback,
      analyzer: this.analyzer,
    });
  }

  /** Parses a query the way `search` does (for showing notes or highlighting terms). */
  parse(query: string): ParsedQuery {
    return parseQuery(query, this.analyzer);
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const mode = options.mode ?? "hybrid";
    const limit = Math.max(0, Math.min(1000, Math.floor(options.limit ?? 10)));
    const parsed = this.parse(query);
    const result = (hits: Scored[]): SearchResult => ({
      hits: hits.slice(0, limit).map((h) => ({ id: this.index.data.ids[h.doc] as string, score: h.score })),
      notes: parsed.notes,
      problem: parsed.problem,
    });
    if (parsed.problem !== null || limit === 0) return result([]);
    if (mode === "keyword") return result(keywordTopK(this.index, parsed, limit));
    const queryVector = await this.queryVector(query);
    if (mode === "vector") return result(await this.vectorTopK(queryVector, parsed, limit));
    const depth = Math.max(limit, options.depth ?? 100);
    return result(await this.hybrid(parsed, queryVector, depth));
  }

  /**
   * Papers nearest in meaning to paper `id`, best first, never `id` itself; empty when the id is unknown or
   * its paper has no vector (no word the embedder knows).
   */
  async similar(id: string, limit = 10): Promise<SearchHit[]> {
    const k = Math.max(0, Math.min(1000, Math.floor(limit)));
    const doc = this.documentNumber(id);
    if (doc < 0 || k === 0) return [];
    const query = this.vectors.row(doc);
    if (query.every((x) => x === 0)) return [];
    const hits = await nearestAsync(this.ann, this.vectors, query, k, (d) => d !== doc, this.oversample);
    return hits.map((h) => ({ id: this.index.data.ids[h.doc] as string, score: h.score }));
  }

  /** The document number of an id, or -1. */
  private documentNumber(id: string): number {
    if (this.docNumbers === null) {
      const numbers = new Map<string, number>();
      this.index.data.ids.forEach((docId, doc) => {
        numbers.set(docId, doc);
      });
      this.docNumbers = numbers;
    }
    return this.docNumbers.get(id) ?? -1;
  }

  /** What fusion reads of a query: its distinct words and how many of them the embedder knows. */
  queryShape(parsed: ParsedQuery): QueryShape {
    const words = parsed.terms.length;
    const stopWords = parsed.stopWords ?? 0;
    const embedder = this.embedder;
    if (!(embedder instanceof CorpusEmbedder) || words === 0) return { words, stopWords, coverage: 1 };
    return { words, stopWords, coverage: parsed.terms.filter((t) => embedder.knows(t)).length / words };
  }

  private async queryVector(query: string): Promise<Float32Array> {
    const text = query.slice(0, 10_000);
    if (this.embedder instanceof CorpusEmbedder) return this.embedder.encode(this.embedder.sparse(text));
    const [v] = await this.embedder.embed([text]);
    return v ?? new Float32Array(this.embedder.dimensions);
  }

  /** Nearest documents by meaning; phrases in the query still filter. */
  private async vectorTopK(queryVector: Float32Array, parsed: ParsedQuery, k: number): Promise<Scored[]> {
    if (parsed.phrases.length === 0)
      return nearestAsync(this.ann, this.vectors, queryVector, k, undefined, this.oversample);
    const top = new TopK(k);
    for (const doc of phraseMatches(this.index, parsed)) top.offer(doc, this.vectors.score(queryVector, doc));
    return top.sorted();
  }

  private async hybrid(parsed: ParsedQuery, queryVector: Float32Array, depth: number): Promise<Scored[]> {
    const keyword = keywordTopK(this.index, parsed, depth);
    const first = await this.fuse(parsed, keyword, queryVector, depth);
    const { documents, weight } = this.feedback;
    if (documents <= 0 || first.length === 0) return first;
    const rows = first.slice(0, documents).map((h) => this.vectors.row(h.doc));
    return this.fuse(parsed, keyword, rocchio(queryVector, rows, weight), depth);
  }

  /** Fuses the keyword top list with the vector top list of `queryVector`, both scores known for all. */
  private async fuse(
    parsed: ParsedQuery,
    keyword: Scored[],
    queryVector: Float32Array,
    depth: number,
  ): Promise<Scored[]> {
    const vector = await this.vectorTopK(queryVector, parsed, depth);
    const candidates = Uint32Array.from(new Set([...keyword, ...vector].map((h) => h.doc))).sort();
    const keywordScore = new Map(
      keywordScoresAmong(this.index, parsed, candidates).map((h) => [h.doc, h.score]),
    );
    const docs = [...candidates];
    const fused = fuseScores(
      docs.map((d) => keywordScore.get(d) ?? 0),
      docs.map((d) => this.vectors.score(queryVector, d)),
      vectorShare(this.queryShape(parsed), this.fusion),
    );
    return docs
      .map((doc, i) => ({ doc, score: fused[i] as number }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

/** Embeds the documents in batches straight into one array, yielding to the event loop between batches. */
async function embedAll(
  docs: DocumentList,
  dimensions: number,
  batchSize: number,
  embed: (batch: readonly SearchDocument[]) => Promise<Float32Array[]>,
): Promise<FlatVectorIndex> {
  const vectors = new Float32Array(docs.length * dimensions);
  for (let start = 0; start < docs.length; start += batchSize) {
    const batch = docs.slice(start, start + batchSize);
    const rows = await embed(batch);
    if (rows.length !== batch.length) {
      throw new Error(`the embedder returned ${rows.length} vectors for ${batch.length} documents`);
    }
    rows.forEach((row, i) => {
      if (row.length !== dimensions) {
        throw new Error(`the embedder returned a ${row.length}-float vector; it declares ${dimensions}`);
      }
      vectors.set(row, (start + i) * dimensions);
    });
    await nextTurn();
  }
  return new FlatVectorIndex(dimensions, vectors);
}

/** Rows handed to the HNSW graph per `add` while embedding into a file. */
const GRAPH_BATCH = 2_048;

/**
 * Embeds the documents in batches, writing each batch's rows to `path` (row i at byte i x dimensions x 4) and
 * adding them to `graph` as they come; the floats are never all in memory. Returns the rows as
 * `DiskVectors` over the file.
 */
async function embedToFile(
  docs: DocumentList,
  dimensions: number,
  batchSize: number,
  embed: (batch: readonly SearchDocument[]) => Promise<Float32Array[]>,
  path: string,
  graph: HnswVectorIndex,
): Promise<DiskVectors> {
  const fd = openSync(path, "w");
  try {
    const pending = new Float32Array(Math.max(batchSize, GRAPH_BATCH) * dimensions);
    let held = 0;
    let written = 0;
    const flush = async () => {
      if (held === 0) return;
      const rows = pending.subarray(0, held * dimensions);
      const bytes = new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength);
      writeAllAt(fd, bytes, written * dimensions * 4);
      written += held;
      graph.add(rows);
      held = 0;
      await nextTurn();
    };
    for (let start = 0; start < docs.length; start += batchSize) {
      const batch = docs.slice(start, start + batchSize);
      const rows = await embed(batch);
      if (rows.length !== batch.length) {
        throw new Error(`the embedder returned ${rows.length} vectors for ${batch.length} documents`);
      }
      for (const row of rows) {
        if (row.length !== dimensions) {
          throw new Error(`the embedder returned a ${row.length}-float vector; it declares ${dimensions}`);
        }
        if ((held + 1) * dimensions > pending.length) await flush();
        pending.set(row, held * dimensions);
        held++;
      }
      if (held >= GRAPH_BATCH) await flush();
      else await nextTurn();
    }
    await flush();
  } finally {
    closeSync(fd);
  }
  return new DiskVectors(path, 0, dimensions, docs.length);
}

function writeAllAt(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

/** The exact index itself for a small library, an HNSW graph over its vectors from `hnswFrom` documents. */
export async function buildVectorIndex(
  vectors: FlatVectorIndex,
  options: VectorIndexOptions = {},
  log?: Logger,
): Promise<VectorIndex> {
  if (vectors.size < (options.hnswFrom ?? DEFAULT_HNSW_FROM)) return vectors;
  const started = performance.now();
  const graph = await HnswVectorIndex.build(vectors.dimensions, vectors.vectors, options.hnsw);
  log?.info("vector graph built", {
    docs: graph.size,
    quantization: graph.options.quantization,
    ms: ms(started),
    rssMiB: rssMiB(),
  });
  return graph;
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}

/** The process's resident memory in MiB, logged with each build phase (where a build's peak comes from). */
function rssMiB(): number {
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}
