import type { SearchEngine, SearchOptions, SearchResult } from "./engine.ts";
import { buildKeywordIndex } from "./index/build.ts";
import type { InvertedIndex } from "./index/inverted-index.ts";
import { SegmentedKeyword, sortScored } from "./index/segmented.ts";
import type { Scored } from "./index/top-k.ts";
import type { ParsedQuery } from "./query/parse.ts";
import { rocchio } from "./rank/feedback.ts";
import { fuseScores, vectorShare } from "./rank/fusion.ts";
import type { SearchDocument, SearchHit } from "./types.ts";
import { ChainedVectors } from "./vector/chained-vectors.ts";
import { CorpusEmbedder } from "./vector/corpus-embedder.ts";
import type { Embedder } from "./vector/embedder.ts";
import { FlatVectorIndex } from "./vector/flat-index.ts";

/** Papers stored after a base build: their documents and vectors, and the base papers they mask. */
export interface DeltaData {
  /** New and changed papers, indexed in the delta segment (vectors row i = docs[i]). */
  docs: SearchDocument[];
  vectors: Float32Array;
  /** Base papers no longer served from the base: changed (they are in `docs` again), hidden or withdrawn. */
  deleted: string[];
}

/**
 * What the service searches: a base engine (a full build) and, when papers were stored since, a delta segment
 * over them plus a set of base documents it masks. Without a delta every call goes straight to the base, so
 * results are the base engine's own. With one, keyword scores use statistics summed over both segments
 * (`SegmentedKeyword`), the vector side reads both (`ChainedVectors`), and hybrid fuses the two as the engine
 * does. Document numbers are global: base first, then the delta.
 */
export class SegmentedEngine {
  readonly base: SearchEngine;
  readonly deltaIds: readonly string[];
  private readonly keyword: SegmentedKeyword | null;
  private readonly chained: ChainedVectors | null;
  private readonly ids: (doc: number) => string;
  private readonly numbers = new Map<string, number>();
  private readonly deleted: Set<number>;

  constructor(base: SearchEngine, delta: DeltaData | null = null) {
    this.base = base;
    const baseIds = base.index.data.ids;
    baseIds.forEach((id, doc) => {
      this.numbers.set(id, doc);
    });
    this.deleted = new Set<number>();
    if (delta === null || (delta.docs.length === 0 && delta.deleted.length === 0)) {
      this.deltaIds = [];
      this.keyword = null;
      this.chained = null;
      this.ids = (doc) => baseIds[doc] as string;
      return;
    }
    const masked = new Set<string>();
    for (const id of delta.deleted) {
      const doc = this.numbers.get(id);
      if (doc !== undefined && doc < baseIds.length) {
        this.deleted.add(doc);
        this.numbers.delete(id);
        masked.add(id);
      }
    }
    const index = buildDeltaIndex(base, delta.docs);
    const dimensions = base.vectors.dimensions;
    if (delta.vectors.length !== delta.docs.length * dimensions) {
      throw new Error(
        `the delta has ${delta.docs.length} papers but ${delta.vectors.length / dimensions} vectors`,
      );
    }
    const offset = baseIds.length;
    this.deltaIds = index.data.ids;
    this.deltaIds.forEach((id, i) => {
      this.numbers.set(id, offset + i);
      // A changed paper is masked in the base and found again here: it is not a new paper.
      if (!masked.has(id)) this.newPapers++;
    });
    this.keyword = new SegmentedKeyword([
      { index: base.index, offset: 0, deleted: this.deleted },
      { index, offset, deleted: new Set() },
    ]);
    this.chained = new ChainedVectors(
      base.vectors,
      base.ann,
      base.oversample,
      new FlatVectorIndex(dimensions, delta.vectors),
      this.deleted,
    );
    const deltaIds = this.deltaIds;
    this.ids = (doc) => (doc < offset ? (baseIds[doc] as string) : (deltaIds[doc - offset] as string));
  }

  /** Papers searched: the base's live documents and the delta's. */
  get size(): number {
    return this.base.size - this.deleted.size + this.deltaIds.length;
  }

  /** Papers indexed in either segment, masked ones included (what the store's count is compared with). */
  get indexed(): number {
    return this.base.size + this.newPapers;
  }

  private newPapers = 0;

  /** Whether paper `id` is searched (in the base and not masked, or in the delta). */
  has(id: string): boolean {
    return this.numbers.has(id);
  }

  /** The global document number of searched paper `id` (base first, then the delta), if it is searched. */
  docNumber(id: string): number | undefined {
    return this.numbers.get(id);
  }

  /** Whether some searched paper has the (analyzed) term. */
  knowsTerm(term: string): boolean {
    if (this.base.index.termId(term) >= 0) return true;
    const delta = this.keyword?.segments[1];
    return delta !== undefined && delta.index.termId(term) >= 0;
  }

  /** Ids of the live papers containing every phrase of `parsed` (for excluded words). */
  phraseIds(parsed: ParsedQuery): Set<string> {
    const keyword =
      this.keyword ?? new SegmentedKeyword([{ index: this.base.index, offset: 0, deleted: new Set() }]);
    return new Set(keyword.phraseMatches(parsed).map((d) => this.ids(d)));
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const keyword = this.keyword;
    const chained = this.chained;
    if (keyword === null || chained === null) return this.base.search(query, options);
    const mode = options.mode ?? "hybrid";
    const limit = Math.max(0, Math.min(1000, Math.floor(options.limit ?? 10)));
    const parsed = this.base.parse(query);
    const result = (hits: Scored[]): SearchResult => ({
      hits: hits.slice(0, limit).map((h) => ({ id: this.ids(h.doc), score: h.score })),
      notes: parsed.notes,
      problem: parsed.problem,
    });
    if (parsed.problem !== null || limit === 0) return result([]);
    if (mode === "keyword") return result(keyword.topK(parsed, limit));
    const queryVector = await this.queryVector(query);
    if (mode === "vector") return result(await this.vectorTopK(queryVector, parsed, limit));
    const depth = Math.max(limit, options.depth ?? 100);
    const top = keyword.topK(parsed, depth);
    const first = await this.fuse(parsed, top, queryVector, depth);
    const { documents, weight } = this.base.feedback;
    if (documents <= 0 || first.length === 0) return result(first);
    const rows = first.slice(0, documents).map((h) => chained.row(h.doc));
    return result(await this.fuse(parsed, top, rocchio(queryVector, rows, weight), depth));
  }

  /** Papers nearest in meaning to paper `id` (base or delta), never `id` itself. */
  async similar(id: string, limit = 10): Promise<SearchHit[]> {
    const chained = this.chained;
    if (chained === null) return this.base.similar(id, limit);
    const k = Math.max(0, Math.min(1000, Math.floor(limit)));
    const doc = this.numbers.get(id);
    if (doc === undefined || k === 0) return [];
    const query = chained.row(doc);
    if (query.every((x) => x === 0)) return [];
    const hits = await chained.nearest(query, k, (d) => d !== doc);
    return hits.map((h) => ({ id: this.ids(h.doc), score: h.score }));
  }

  private async queryVector(query: string): Promise<Float32Array> {
    const text = query.slice(0, 10_000);
    const embedder = this.base.embedder;
    if (embedder instanceof CorpusEmbedder) return embedder.encode(embedder.sparse(text));
    const [v] = await embedder.embed([text]);
    return v ?? new Float32Array(embedder.dimensions);
  }

  private async vectorTopK(queryVector: Float32Array, parsed: ParsedQuery, k: number): Promise<Scored[]> {
    const chained = this.chained as ChainedVectors;
    if (parsed.phrases.length === 0) return chained.nearest(queryVector, k);
    const matches = (this.keyword as SegmentedKeyword).phraseMatches(parsed);
    return sortScored(matches.map((doc) => ({ doc, score: chained.score(queryVector, doc) }))).slice(0, k);
  }

  private async fuse(
    parsed: ParsedQuery,
    keyword: Scored[],
    queryVector: Float32Array,
    depth: number,
  ): Promise<Scored[]> {
    const chained = this.chained as ChainedVectors;
    const vector = await this.vectorTopK(queryVector, parsed, depth);
    const docs = [...new Set([...keyword, ...vector].map((h) => h.doc))].sort((a, b) => a - b);
    const keywordScore = (this.keyword as SegmentedKeyword).scoresAmong(parsed, docs);
    const fused = fuseScores(
      docs.map((d) => keywordScore.get(d) ?? 0),
      docs.map((d) => chained.score(queryVector, d)),
      vectorShare(this.base.queryShape(parsed), this.base.fusion),
    );
    return docs
      .map((doc, i) => ({ doc, score: fused[i] as number }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

/** The delta's keyword index, scored on its base's scale (the base's average field lengths and parameters). */
export function buildDeltaIndex(base: SearchEngine, docs: readonly SearchDocument[]): InvertedIndex {
  const stems = base.index.data.averageLength;
  const exact = base.index.exact?.data.averageLength ?? stems;
  return buildKeywordIndex(docs, base.analyzer, base.index.data.params, { stems, exact });
}

/** Embeds delta documents with the base's embedder (no training): one row per document. */
export async function embedDelta(embedder: Embedder, docs: readonly SearchDocument[]): Promise<Float32Array> {
  const dimensions = embedder.dimensions;
  const out = new Float32Array(docs.length * dimensions);
  if (embedder instanceof CorpusEmbedder) {
    docs.forEach((d, i) => {
      out.set(embedder.embedDocument(d.title, d.abstract), i * dimensions);
    });
    return out;
  }
  for (let start = 0; start < docs.length; start += 64) {
    const batch = docs.slice(start, start + 64);
    const rows = await embedder.embed(batch.map((d) => `${d.title}. ${d.abstract}`));
    rows.forEach((row, i) => {
      out.set(row, (start + i) * dimensions);
    });
  }
  return out;
}
