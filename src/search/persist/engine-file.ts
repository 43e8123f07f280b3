import { SearchEngine } from "../engine.ts";
import type { InvertedIndexData } from "../index/inverted-index.ts";
import { InvertedIndex } from "../index/inverted-index.ts";
import type { Bm25Params, Field } from "../rank/bm25.ts";
import type { FusionParams } from "../rank/fusion.ts";
import { createAnalyzer } from "../text/analyzer.ts";
import { CorpusEmbedder } from "../vector/corpus-embedder.ts";
import type { Embedder } from "../vector/embedder.ts";
import { FlatVectorIndex } from "../vector/flat-index.ts";
import { readContainer, type StoredArray, writeContainer } from "./container.ts";

interface EngineMeta {
  ids: string[];
  terms: string[];
  params: Bm25Params;
  averageLength: Record<Field, number>;
  fusion: FusionParams;
  dimensions: number;
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

/** Saves an engine (keyword index, document vectors, and the built-in embedder's model) to one file. */
export function saveEngine(engine: SearchEngine, path: string): void {
  const data = engine.index.data;
  const corpus = engine.embedder instanceof CorpusEmbedder ? engine.embedder.model : null;
  const meta: EngineMeta = {
    ids: data.ids,
    terms: data.terms,
    params: data.params,
    averageLength: data.averageLength,
    fusion: engine.fusion,
    dimensions: engine.vectors.dimensions,
    embedderModels: corpus ? corpus.models : 0,
    embedderTerms: corpus ? corpus.terms : null,
  };
  const arrays: Record<string, StoredArray> = { vectors: engine.vectors.vectors };
  for (const name of INDEX_ARRAYS) arrays[name] = data[name];
  if (corpus) {
    arrays.embedderIdf = corpus.idf;
    arrays.embedderWeights = corpus.weights;
  }
  writeContainer(path, meta, arrays);
}

/**
 * Loads an engine saved by `saveEngine`. An engine built with a custom embedder needs that embedder again
 * (the same model, for query vectors that match the stored document vectors).
 */
export function loadEngine(path: string, options: { embedder?: Embedder } = {}): SearchEngine {
  const { meta: raw, arrays } = readContainer(path);
  const meta = raw as EngineMeta;
  const analyzer = createAnalyzer();
  const data = {
    ids: meta.ids,
    terms: meta.terms,
    params: meta.params,
    averageLength: meta.averageLength,
  } as Partial<InvertedIndexData>;
  for (const name of INDEX_ARRAYS) {
    const array = arrays[name];
    if (!array) throw new Error(`${path}: missing ${name}`);
    (data as Record<string, unknown>)[name] = array;
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
  const vectors = arrays.vectors;
  if (!(vectors instanceof Float32Array)) throw new Error(`${path}: missing vectors`);
  return new SearchEngine({
    index: new InvertedIndex(data as InvertedIndexData),
    vectors: new FlatVectorIndex(meta.dimensions, vectors),
    embedder,
    fusion: meta.fusion,
    analyzer,
  });
}
