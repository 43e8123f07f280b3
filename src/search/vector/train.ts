import type { Analyzer } from "../../core/text/analyzer.ts";
import type { Logger } from "../../log.ts";
import type { DocumentList } from "../documents.ts";
import { idf as bm25Idf } from "../rank/bm25.ts";
import { CorpusEmbedder, type SparseVector, sparseTfIdf } from "./corpus-embedder.ts";
import { Random } from "./random.ts";

/** What the corpus embedder learns from: a paper's title and abstract. */
export interface TrainingText {
  title: string;
  abstract: string;
}

export interface TrainOptions {
  /** Vector length of each model. Default 256. */
  dimensions?: number;
  /**
   * Models trained with seeds seed, seed + 1, ...; their vectors are concatenated (the embedder's dimensions
   * are models x dimensions) so similarities average over them, which evens out the noise of any one
   * training run. Default 2.
   */
  models?: number;
  /** Words in fewer documents than this are left out of the vocabulary. Default 1. */
  minDocumentFrequency?: number;
  /** At most this many words (the most frequent) form the vocabulary. Default 200,000. */
  maxVocabulary?: number;
  /** Passes over the training pairs. Default 1. */
  epochs?: number;
  /** At most this many training pairs (a random sample of them beyond). Default 200,000. */
  maxPairs?: number;
  /** Pairs per step; the other pairs of a batch are each pair's negatives. Default 128. */
  batchSize?: number;
  /** Adam step size. Default 0.003. */
  learningRate?: number;
  /** Softmax temperature of the contrastive loss (0.2 beat 0.03-0.15 and 0.3 on SciFact). Default 0.2. */
  temperature?: number;
  /** Seeds initialisation and shuffling: the same seed and corpus give the same embedder. Default 1. */
  seed?: number;
  logger?: Logger;
}

const SENTENCE = /(?<=[.!?])\s+(?=[A-Z0-9(])/;

/**
 * Self-supervised training pairs from the corpus alone (no judgments): each title with its abstract, and each
 * sentence of an abstract (the "inverse cloze task", Lee et al. 2019) with the rest of its paper. A claim or a
 * search reads like a title or a finding sentence, so this teaches what words a paper about it uses.
 */
export function trainingPairs(
  texts: Iterable<TrainingText>,
): Array<[query: string, passage: string, title: string]> {
  const pairs: Array<[string, string, string]> = [];
  for (const text of texts) pairsOf(text, pairs);
  return pairs;
}

/** One paper's training pairs, in `trainingPairs` order, appended to `out` (or only counted without it). */
function pairsOf({ title, abstract }: TrainingText, out?: Array<[string, string, string]>): number {
  let n = 0;
  if (title.trim() !== "" && abstract.trim() !== "") {
    out?.push([title, abstract, ""]);
    n++;
  }
  const sentences = abstract.split(SENTENCE);
  if (sentences.length < 3) return n;
  sentences.forEach((sentence, i) => {
    if (sentence.split(/\s+/).length < 6) return;
    out?.push([sentence, sentences.filter((_, j) => j !== i).join(" "), title]);
    n++;
  });
  return n;
}

/**
 * `trainingPairs` shuffled with `seed` and cut to `maxPairs` (the same pairs in the same order as shuffling
 * the whole list), made without holding every pair: the pairs are numbered, the numbers shuffled, and only the
 * chosen ones' texts built. A million papers make some seven million pairs, gigabytes of passage strings.
 */
export function sampleTrainingPairs(
  texts: DocumentList<TrainingText>,
  maxPairs: number,
  seed: number,
): Array<[query: string, passage: string, title: string]> {
  const first = new Float64Array(texts.length + 1);
  let d = 0;
  for (const text of texts) {
    first[d + 1] = (first[d] as number) + pairsOf(text);
    d++;
  }
  const total = first[texts.length] as number;
  if (total <= maxPairs) return trainingPairs(texts);
  // Random.shuffle on the pair numbers: the same draws as on the pairs themselves.
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  const random = new Random(seed);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  const chosen = order.slice(0, maxPairs);
  // Output positions sorted by pair number, so the papers are walked once in order.
  const byPair = Uint32Array.from({ length: maxPairs }, (_, i) => i).sort(
    (a, b) => (chosen[a] as number) - (chosen[b] as number),
  );
  const out: Array<[string, string, string]> = new Array(maxPairs);
  d = 0;
  let pairs: Array<[string, string, string]> = [];
  let pairsDoc = -1;
  for (const position of byPair) {
    const pair = chosen[position] as number;
    while ((first[d + 1] as number) <= pair) d++;
    if (pairsDoc !== d) {
      pairs = [];
      pairsOf(texts.at(d) as TrainingText, pairs);
      pairsDoc = d;
    }
    out[position] = pairs[pair - (first[d] as number)] as [string, string, string];
  }
  return out;
}

function vocabulary(
  texts: DocumentList<TrainingText>,
  analyzer: Analyzer,
  minDf: number,
  maxSize: number,
): { terms: string[]; idf: Float32Array } {
  const df = new Map<string, number>();
  for (const { title, abstract } of texts) {
    const seen = new Set<string>();
    for (const { term } of analyzer.analyze(`${title} ${abstract}`)) seen.add(term);
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const kept = [...df].filter(([, n]) => n >= minDf);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = kept.slice(0, maxSize);
  return {
    terms: top.map(([t]) => t),
    idf: Float32Array.from(top.map(([, n]) => bm25Idf(n, texts.length))),
  };
}

/**
 * Learns the corpus embedder's word vectors with a contrastive loss: in each batch, a pair's query vector must
 * be closer to its own passage than to the batch's other passages, and the reverse (symmetric InfoNCE). Vectors
 * start random (a random projection of tf-idf, which already ranks like tf-idf cosine) and move by lazy Adam,
 * only the rows of words in the batch. `models` such models, from consecutive seeds, are concatenated.
 * Deterministic for a given seed.
 */
export function trainCorpusEmbedder(
  texts: DocumentList<TrainingText>,
  analyzer: Analyzer,
  options: TrainOptions = {},
): CorpusEmbedder {
  const dims = options.dimensions ?? 256;
  const models = Math.max(1, Math.floor(options.models ?? 2));
  const seed = options.seed ?? 1;
  const { terms, idf } = vocabulary(
    texts,
    analyzer,
    options.minDocumentFrequency ?? 1,
    options.maxVocabulary ?? 200_000,
  );
  const lookup = new Map(terms.map((t, i) => [t, i]));
  const vec = (text: string, title = ""): SparseVector => sparseTfIdf(analyzer, lookup, idf, text, title, 1);
  const maxPairs = options.maxPairs ?? 200_000;
  const pairs = sampleTrainingPairs(texts, maxPairs, seed).map(
    ([q, p, title]) => [vec(q), vec(p, title)] as const,
  );
  const width = dims * models;
  const weights = new Float32Array(terms.length * width);
  for (let m = 0; m < models; m++) {
    const part = trainModel(pairs, terms.length, { ...options, dimensions: dims, seed: seed + m }, m);
    for (let t = 0; t < terms.length; t++)
      weights.set(part.subarray(t * dims, (t + 1) * dims), t * width + m * dims);
  }
  return new CorpusEmbedder({ dimensions: width, models, terms, idf, weights }, analyzer);
}

/** Trains one model's word vectors (vocabulary size x dimensions) on prepared pairs. */
function trainModel(
  allPairs: ReadonlyArray<readonly [SparseVector, SparseVector]>,
  size: number,
  options: TrainOptions & { dimensions: number; seed: number },
  index: number,
): Float32Array {
  const dims = options.dimensions;
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 128;
  const random = new Random(options.seed);
  const weights = new Float32Array(size * dims);
  const scale = 1 / Math.sqrt(dims);
  for (let i = 0; i < weights.length; i++) weights[i] = random.gaussian() * scale;
  const adam = new LazyAdam(size, dims, options.learningRate ?? 0.003);
  const step = new ContrastiveStep(weights, dims, options.temperature ?? 0.2);
  const used = [...allPairs];
  for (let epoch = 0; epoch < epochs; epoch++) {
    random.shuffle(used);
    let loss = 0;
    let steps = 0;
    for (let s = 0; s + batchSize <= used.length; s += batchSize) {
      const batch = used.slice(s, s + batchSize);
      loss += step.run(
        batch.map(([q]) => q),
        batch.map(([, p]) => p),
        adam,
      );
      steps++;
    }
    options.logger?.info("embedder epoch", {
      model: index + 1,
      epoch: epoch + 1,
      pairs: used.length,
      loss: steps === 0 ? "n/a" : (loss / steps).toFixed(4),
    });
  }
  return weights;
}

/** Adam that updates only the rows a step touched (bias correction by the global step count). */
class LazyAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    rows: number,
    private readonly dims: number,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
  ) {
    this.m = new Float32Array(rows * dims);
    this.v = new Float32Array(rows * dims);
  }

  apply(weights: Float32Array, grad: Float32Array, rows: Iterable<number>): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (const row of rows) {
      const base = row * this.dims;
      for (let k = base; k < base + this.dims; k++) {
        const g = grad[k] as number;
        const m = this.beta1 * (this.m[k] as number) + (1 - this.beta1) * g;
        const v = this.beta2 * (this.v[k] as number) + (1 - this.beta2) * g * g;
        this.m[k] = m;
        this.v[k] = v;
        weights[k] = (weights[k] as number) - (this.lr * (m / c1)) / (Math.sqrt(v / c2) + 1e-8);
        grad[k] = 0;
      }
    }
  }
}

/** One symmetric InfoNCE step over a batch of (query, passage) sparse vectors. */
class ContrastiveStep {
  private readonly grad: Float32Array;

  constructor(
    private readonly weights: Float32Array,
    private readonly dims: number,
    private readonly tau: number,
  ) {
    this.grad = new Float32Array(weights.length);
  }

  /** Runs forward and backward, applies the update, returns the mean query-to-passage loss. */
  run(queries: SparseVector[], passages: SparseVector[], adam: LazyAdam): number {
    const b = queries.length;
    const d = this.dims;
    const q = queries.map((x) => this.project(x));
    const p = passages.map((x) => this.project(x));
    const qn = q.map((v) => unit(v.vector, v.norm));
    const pn = p.map((v) => unit(v.vector, v.norm));
    const logits = new Float64Array(b * b);
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < b; j++)
        logits[i * b + j] = dotF(qn[i] as Float32Array, pn[j] as Float32Array) / this.tau;
    }
    const rowSoft = softmax(logits, b, true);
    const colSoft = softmax(logits, b, false);
    let loss = 0;
    const g = new Float64Array(b * b);
    for (let i = 0; i < b; i++) {
      loss -= Math.log((rowSoft[i * b + i] as number) + 1e-12);
      for (let j = 0; j < b; j++) {
        const target = i === j ? 1 : 0;
        g[i * b + j] =
          ((rowSoft[i * b + j] as number) - target + (colSoft[i * b + j] as number) - target) /
          (2 * b * this.tau);
      }
    }
    const touched = new Set<number>();
    for (let i = 0; i < b; i++) {
      const dqn = new Float32Array(d);
      const dpn = new Float32Array(d);
      for (let j = 0; j < b; j++) {
        axpy(dqn, g[i * b + j] as number, pn[j] as Float32Array);
        axpy(dpn, g[j * b + i] as number, qn[j] as Float32Array);
      }
      this.backward(
        queries[i] as SparseVector,
        qn[i] as Float32Array,
        (q[i] as Projected).norm,
        dqn,
        touched,
      );
      this.backward(
        passages[i] as SparseVector,
        pn[i] as Float32Array,
        (p[i] as Projected).norm,
        dpn,
        touched,
      );
    }
    adam.apply(this.weights, this.grad, touched);
    return loss / b;
  }

  private project(x: SparseVector): Projected {
    const d = this.dims;
    const out = new Float32Array(d);
    for (let j = 0; j < x.ids.length; j++) {
      const v = x.values[j] as number;
      const base = (x.ids[j] as number) * d;
      for (let k = 0; k < d; k++) out[k] = (out[k] as number) + v * (this.weights[base + k] as number);
    }
    let sum = 0;
    for (let k = 0; k < d; k++) sum += (out[k] as number) * (out[k] as number);
    return { vector: out, norm: Math.sqrt(sum) + 1e-9 };
  }

  /** Gradient through the normalisation into the rows of the input's words. */
  private backward(
    x: SparseVector,
    unitVec: Float32Array,
    norm: number,
    dUnit: Float32Array,
    touched: Set<number>,
  ) {
    const d = this.dims;
    const along = dotF(dUnit, unitVec);
    const dv = new Float32Array(d);
    for (let k = 0; k < d; k++) dv[k] = ((dUnit[k] as number) - (unitVec[k] as number) * along) / norm;
    for (let j = 0; j < x.ids.length; j++) {
      const id = x.ids[j] as number;
      touched.add(id);
      axpy(this.grad, x.values[j] as number, dv, id * d);
    }
  }
}

interface Projected {
  vector: Float32Array;
  norm: number;
}

function unit(v: Float32Array, norm: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = (v[k] as number) / norm;
  return out;
}

function dotF(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}

/** y[offset..] += a x */
function axpy(y: Float32Array, a: number, x: Float32Array, offset = 0): void {
  for (let k = 0; k < x.length; k++) y[offset + k] = (y[offset + k] as number) + a * (x[k] as number);
}

/** Softmax of a b x b matrix along rows (or columns). */
function softmax(logits: Float64Array, b: number, rows: boolean): Float64Array {
  const out = new Float64Array(b * b);
  for (let i = 0; i < b; i++) {
    const at = (j: number) => (rows ? i * b + j : j * b + i);
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < b; j++) max = Math.max(max, logits[at(j)] as number);
    let sum = 0;
    for (let j = 0; j < b; j++) {
      const e = Math.exp((logits[at(j)] as number) - max);
      out[at(j)] = e;
      sum += e;
    }
    for (let j = 0; j < b; j++) out[at(j)] = (out[at(j)] as number) / sum;
  }
  return out;
}
