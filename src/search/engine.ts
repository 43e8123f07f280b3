import type { Logger } from "../log.ts";
import { buildIndex } from "./index/build.ts";
import type { InvertedIndex } from "./index/inverted-index.ts";
import { topKAmong } from "./index/retrieve.ts";
import { type Scored, TopK } from "./index/top-k.ts";
import { keywordTopK, phraseMatches, termCounts, weightTerms } from "./keyword.ts";
import { type ParsedQuery, parseQuery } from "./query/parse.ts";
import { type Bm25Params, DEFAULT_BM25 } from "./rank/bm25.ts";
import { DEFAULT_FEEDBACK, type FeedbackParams, rocchio } from "./rank/feedback.ts";
import { DEFAULT_FUSION, type FusionParams, fuseScores } from "./rank/fusion.ts";
import { type Analyzer, createAnalyzer } from "./text/analyzer.ts";
import type { SearchDocument, SearchHit } from "./types.ts";
import { CorpusEmbedder } from "./vector/corpus-embedder.ts";
import type { Embedder } from "./vector/embedder.ts";
import { FlatVectorIndex } from "./vector/flat-index.ts";
import { type TrainOptions, trainCorpusEmbedder } from "./vector/train.ts";

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
  logger?: Logger;
}

/** The parts of an engine; `persist/engine-file.ts` saves and loads them. */
export interface EngineParts {
  index: InvertedIndex;
  vectors: FlatVectorIndex;
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
 */
export class SearchEngine {
  readonly index: InvertedIndex;
  readonly vectors: FlatVectorIndex;
  readonly embedder: Embedder;
  readonly fusion: FusionParams;
  readonly feedback: FeedbackParams;
  readonly analyzer: Analyzer;

  constructor(parts: EngineParts) {
    this.feedback = parts.feedback ?? DEFAULT_FEEDBACK;
    this.index = parts.index;
    this.vectors = parts.vectors;
    this.embedder = parts.embedder;
    this.fusion = parts.fusion;
    this.analyzer = parts.analyzer;
  }

  static async build(docs: readonly SearchDocument[], options: EngineOptions = {}): Promise<SearchEngine> {
    const analyzer = createAnalyzer();
    const log = options.logger;
    let started = performance.now();
    const index = buildIndex(docs, analyzer, options.bm25 ?? DEFAULT_BM25);
    log?.info("keyword index built", { docs: docs.length, terms: index.termCount, ms: ms(started) });
    started = performance.now();
    let embedder = options.embedder;
    let rows: Float32Array[];
    if (embedder === undefined) {
      const corpus = trainCorpusEmbedder(docs, analyzer, { ...options.train, logger: log });
      embedder = corpus;
      rows = docs.map((d) => corpus.embedDocument(d.title, d.abstract));
      log?.info("embedder trained", { words: corpus.model.terms.length, ms: ms(started) });
    } else {
      rows = [];
      const size = options.embedBatchSize ?? 64;
      for (let i = 0; i < docs.length; i += size) {
        rows.push(...(await embedder.embed(docs.slice(i, i + size).map((d) => `${d.title}. ${d.abstract}`))));
      }
      log?.info("documents embedded", { ms: ms(started) });
    }
    const vectors = FlatVectorIndex.fromRows(embedder.dimensions, rows);
    return new SearchEngine({
      index,
      vectors,
      embedder,
      fusion: options.fusion ?? DEFAULT_FUSION,
      feedback: options.feedback ?? DEFAULT_FEEDBACK,
      analyzer,
    });
  }

  get size(): number {
    return this.index.documentCount;
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
    if (mode === "vector") return result(this.vectorTopK(queryVector, parsed, limit));
    const depth = Math.max(limit, options.depth ?? 100);
    return result(this.hybrid(parsed, queryVector, depth));
  }

  private async queryVector(query: string): Promise<Float32Array> {
    const text = query.slice(0, 10_000);
    if (this.embedder instanceof CorpusEmbedder) return this.embedder.encode(this.embedder.sparse(text));
    const [v] = await this.embedder.embed([text]);
    return v ?? new Float32Array(this.embedder.dimensions);
  }

  /** Nearest documents by meaning; phrases in the query still filter. */
  private vectorTopK(queryVector: Float32Array, parsed: ParsedQuery, k: number): Scored[] {
    if (parsed.phrases.length === 0) return this.vectors.search(queryVector, k);
    const top = new TopK(k);
    for (const doc of phraseMatches(this.index, parsed)) top.offer(doc, this.vectors.score(queryVector, doc));
    return top.sorted();
  }

  private hybrid(parsed: ParsedQuery, queryVector: Float32Array, depth: number): Scored[] {
    const keyword = keywordTopK(this.index, parsed, depth);
    const first = this.fuse(parsed, keyword, queryVector, depth);
    const { documents, weight } = this.feedback;
    if (documents <= 0 || first.length === 0) return first;
    const rows = first.slice(0, documents).map((h) => this.vectors.row(h.doc));
    return this.fuse(parsed, keyword, rocchio(queryVector, rows, weight), depth);
  }

  /** Fuses the keyword top list with the vector top list of `queryVector`, both scores known for all. */
  private fuse(parsed: ParsedQuery, keyword: Scored[], queryVector: Float32Array, depth: number): Scored[] {
    const vector = this.vectorTopK(queryVector, parsed, depth);
    const candidates = Uint32Array.from(new Set([...keyword, ...vector].map((h) => h.doc))).sort();
    const weighted = weightTerms(this.index, termCounts(parsed.terms));
    const keywordScore = new Map(
      topKAmong(this.index, weighted, candidates, candidates.length).map((h) => [h.doc, h.score]),
    );
    const docs = [...candidates];
    const fused = fuseScores(
      docs.map((d) => keywordScore.get(d) ?? 0),
      docs.map((d) => this.vectors.score(queryVector, d)),
      this.fusion,
    );
    return docs
      .map((doc, i) => ({ doc, score: fused[i] as number }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
