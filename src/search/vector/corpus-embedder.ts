import type { Analyzer } from "../../core/text/analyzer.ts";
import { type Embedder, normalize } from "./embedder.ts";

/** A text as a sparse tf-idf vector over the embedder's vocabulary: term numbers and weights, unit length. */
export interface SparseVector {
  ids: Uint32Array;
  values: Float32Array;
}

/** The learned parts of a corpus embedder; what `save` writes and `load` reads. */
export interface CorpusEmbedderModel {
  /** Vector length: `models` independently trained parts of dimensions / models each. */
  dimensions: number;
  /** Independently trained models (seeds) whose vectors are concatenated: their cosines average. */
  models: number;
  terms: string[];
  /** idf of each vocabulary term, from the corpus it was trained on. */
  idf: Float32Array;
  /** Row t (dimensions floats) is the vector of term t. */
  weights: Float32Array;
}

/**
 * The default embedder: a text's vector is the sum of its words' learned vectors, weighted by tf-idf
 * ((1 + ln tf) x idf, unit length), normalised. The word vectors are learned from the library itself (see
 * `trainCorpusEmbedder`), so it knows the library's vocabulary and nothing else; words it never saw are ignored.
 */
export class CorpusEmbedder implements Embedder {
  readonly dimensions: number;
  readonly model: CorpusEmbedderModel;
  private readonly lookup = new Map<string, number>();

  constructor(
    model: CorpusEmbedderModel,
    private readonly analyzer: Analyzer,
  ) {
    this.model = model;
    this.dimensions = model.dimensions;
    model.terms.forEach((t, i) => {
      this.lookup.set(t, i);
    });
  }

  /** Whether the embedder has a vector for an analyzed term (a stem of its vocabulary). */
  knows(term: string): boolean {
    return this.lookup.has(term);
  }

  /** The tf-idf vector of a text; `titleRepeat` counts title words that many times (documents use 2). */
  sparse(text: string, title = "", titleRepeat = 2): SparseVector {
    return sparseTfIdf(this.analyzer, this.lookup, this.model.idf, text, title, titleRepeat);
  }

  /**
   * The share of a text's tf-idf weight ((1 + ln tf) x idf, title words counted twice) that falls on words the
   * embedder never learned, which its vector cannot see; a word it does not know weighs as much as its rarest
   * known word. Null for a text without words. What `service/drift.ts` averages over new papers.
   */
  unknownShare(text: string, title = ""): number | null {
    this.rarest ??= this.model.idf.reduce((a, b) => Math.max(a, b), 0) || 1;
    const counts = new Map<string, number>();
    const add = (s: string, times: number) => {
      for (const { term } of this.analyzer.analyze(s)) counts.set(term, (counts.get(term) ?? 0) + times);
    };
    if (title !== "") add(title, 2);
    add(text, 1);
    let unknown = 0;
    let total = 0;
    for (const [term, tf] of counts) {
      const id = this.lookup.get(term);
      const w = (1 + Math.log(tf)) * (id === undefined ? this.rarest : (this.model.idf[id] as number));
      total += w;
      if (id === undefined) unknown += w;
    }
    return total > 0 ? unknown / total : null;
  }

  private rarest: number | undefined;

  /** The embedding of a sparse vector. */
  encode(x: SparseVector): Float32Array {
    return encodeSparse(this.model.weights, this.dimensions, x, this.model.models);
  }

  /** Embeds a document (title and abstract). */
  embedDocument(title: string, abstract: string): Float32Array {
    return this.encode(this.sparse(abstract, title));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.encode(this.sparse(t)));
  }
}

/** (1 + ln tf) x idf over known terms, unit length. */
export function sparseTfIdf(
  analyzer: Analyzer,
  lookup: ReadonlyMap<string, number>,
  idf: Float32Array,
  text: string,
  title = "",
  titleRepeat = 2,
): SparseVector {
  const counts = new Map<number, number>();
  const add = (s: string, times: number) => {
    for (const { term } of analyzer.analyze(s)) {
      const id = lookup.get(term);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + times);
    }
  };
  if (title !== "") add(title, titleRepeat);
  add(text, 1);
  const ids = new Uint32Array(counts.size);
  const values = new Float32Array(counts.size);
  let i = 0;
  let sum = 0;
  for (const [id, tf] of counts) {
    const w = (1 + Math.log(tf)) * (idf[id] as number);
    ids[i] = id;
    values[i++] = w;
    sum += w * w;
  }
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let j = 0; j < values.length; j++) values[j] = (values[j] as number) * scale;
  }
  return { ids, values };
}

/**
 * sum of value x row(id); with several models, each model's part is normalised and scaled by 1/sqrt(models),
 * so the whole has unit length and a dot product is the mean of the models' cosines.
 */
export function encodeSparse(
  weights: Float32Array,
  dimensions: number,
  x: SparseVector,
  models = 1,
): Float32Array {
  const out = new Float32Array(dimensions);
  for (let j = 0; j < x.ids.length; j++) {
    const v = x.values[j] as number;
    const base = (x.ids[j] as number) * dimensions;
    for (let k = 0; k < dimensions; k++) out[k] = (out[k] as number) + v * (weights[base + k] as number);
  }
  if (models === 1) return normalize(out);
  const part = dimensions / models;
  const share = 1 / Math.sqrt(models);
  for (let m = 0; m < models; m++) {
    const slice = normalize(out.subarray(m * part, (m + 1) * part));
    for (let k = 0; k < part; k++) slice[k] = (slice[k] as number) * share;
  }
  return out;
}
