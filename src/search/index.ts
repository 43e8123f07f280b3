/**
 * Paperboy's search engine, as a library: keyword search (BM25F over an inverted index with block-max
 * MaxScore, phrases, stemming), search by meaning (an embedder learned from the library itself, or any other
 * `Embedder`), and hybrid ranking that fuses both. See docs in bench/search/README.md for quality numbers.
 *
 *   const engine = await SearchEngine.build(papers);
 *   const { hits, notes, problem } = await engine.search("test-time adaptation", { mode: "hybrid", limit: 20 });
 *   saveEngine(engine, "data/search.pbs");          // and on start: loadEngine("data/search.pbs")
 *
 * The product goes through `createSearchService` (service.ts), which adds the store's filters, persistence
 * under the data directory and background rebuilds.
 */

export { createAnalyzer } from "../core/text/analyzer.ts";
export {
  type EngineOptions,
  SearchEngine,
  type SearchMode,
  type SearchOptions,
  type SearchResult,
} from "./engine.ts";
export { readBeirCorpus, readBeirQrels, readBeirQueries } from "./eval/beir.ts";
export { evaluateRun, type MetricSummary, mrrAt, ndcgAt, recallAt } from "./eval/metrics.ts";
export { type BeirReport, runBeir } from "./eval/run-beir.ts";
export { loadEngine, saveEngine } from "./persist/engine-file.ts";
export { type ParsedQuery, parseQuery } from "./query/parse.ts";
export { type Bm25Params, DEFAULT_BM25 } from "./rank/bm25.ts";
export { DEFAULT_FEEDBACK, type FeedbackParams } from "./rank/feedback.ts";
export { DEFAULT_FUSION, type FusionParams, reciprocalRankFusion } from "./rank/fusion.ts";
export type { SearchDocument, SearchHit } from "./types.ts";
export { CorpusEmbedder } from "./vector/corpus-embedder.ts";
export { createEmbedder, describeEmbedder } from "./vector/create-embedder.ts";
export type { Embedder } from "./vector/embedder.ts";
export { FlatVectorIndex } from "./vector/flat-index.ts";
export { HnswVectorIndex } from "./vector/hnsw-index.ts";
export { type TrainOptions, trainCorpusEmbedder } from "./vector/train.ts";
export type { VectorIndex } from "./vector/vector-index.ts";
