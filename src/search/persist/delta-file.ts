import { createAnalyzer } from "../../core/text/analyzer.ts";
import type { DeltaData } from "../segmented-engine.ts";
import type { SearchDocument } from "../types.ts";
import { CorpusEmbedder } from "../vector/corpus-embedder.ts";
import type { Embedder } from "../vector/embedder.ts";
import { readContainer, writeContainer } from "./container.ts";

/** A delta segment as saved: its papers (the text the keyword index is rebuilt from on load) and vectors. */
export interface SavedDelta extends DeltaData {
  /** The store's `lastUpdatedAt` of each paper in `docs`: an unchanged paper's vector is reused next time. */
  updatedAt: string[];
  dimensions: number;
}

interface DeltaMeta {
  kind: "paperboy-delta";
  version: 1;
  dimensions: number;
  docs: SearchDocument[];
  updatedAt: string[];
  deleted: string[];
}

/**
 * Writes a delta segment to `path` (atomically: a temporary file renamed into place). Its keyword index is not
 * saved: a delta holds a day or a few weeks of papers, which index in milliseconds to a second when loaded, on
 * the base's scale (`buildDeltaIndex`); its vectors are saved, so a served embedder is not called again.
 */
export function saveDelta(path: string, delta: SavedDelta): void {
  const meta: DeltaMeta = {
    kind: "paperboy-delta",
    version: 1,
    dimensions: delta.dimensions,
    docs: delta.docs,
    updatedAt: delta.updatedAt,
    deleted: delta.deleted,
  };
  writeContainer(path, meta, { vectors: delta.vectors });
}

export function loadDelta(path: string): SavedDelta {
  const { meta: raw, arrays } = readContainer(path);
  const meta = raw as Partial<DeltaMeta>;
  const vectors = arrays.vectors;
  if (
    meta.kind !== "paperboy-delta" ||
    meta.version !== 1 ||
    !Array.isArray(meta.docs) ||
    !Array.isArray(meta.deleted) ||
    !Array.isArray(meta.updatedAt) ||
    typeof meta.dimensions !== "number" ||
    !(vectors instanceof Float32Array)
  ) {
    throw new Error(`${path} is not a search delta file`);
  }
  if (vectors.length !== meta.docs.length * meta.dimensions) throw new Error(`${path} is truncated`);
  return {
    docs: meta.docs,
    vectors,
    deleted: meta.deleted,
    updatedAt: meta.updatedAt,
    dimensions: meta.dimensions,
  };
}

/**
 * The embedder of a saved engine without loading the engine: the corpus embedder's model is read from the
 * engine file alone (its index and vectors are skipped), or `served` is returned (checked against the file's
 * dimensions). What a delta is embedded with, so new papers land in the base's vector space.
 */
export function loadEngineEmbedder(enginePath: string, served?: Embedder): Embedder {
  const { meta, arrays } = readContainer(
    enginePath,
    undefined,
    new Set(served ? [] : ["embedderIdf", "embedderWeights"]),
  );
  const m = meta as { dimensions: number; embedderModels: number; embedderTerms: string[] | null };
  if (served) {
    if (served.dimensions !== m.dimensions) {
      throw new Error(
        `${enginePath} holds ${m.dimensions}-dimensional vectors; the embedder gives ${served.dimensions}`,
      );
    }
    return served;
  }
  const idf = arrays.embedderIdf;
  const weights = arrays.embedderWeights;
  if (m.embedderTerms === null || !(idf instanceof Float32Array) || !(weights instanceof Float32Array)) {
    throw new Error(`${enginePath} was built with a served embedder, which is needed to embed new papers`);
  }
  return new CorpusEmbedder(
    { dimensions: m.dimensions, models: m.embedderModels, terms: m.embedderTerms, idf, weights },
    createAnalyzer(),
  );
}
