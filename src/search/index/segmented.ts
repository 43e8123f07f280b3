import { keywordScoresAmong, PAIR_DEPTH, phraseMatches, queryTerms, withPairs } from "../keyword.ts";
import type { ParsedQuery } from "../query/parse.ts";
import { END, type InvertedIndex } from "./inverted-index.ts";
import { topKAmong, topKMaxScore, type WeightedTerm } from "./retrieve.ts";
import { ranksBefore, type Scored } from "./top-k.ts";

/**
 * One segment of a segmented keyword index: an inverted index whose documents are numbered from `offset` in
 * the global numbering, and the local numbers of its documents that are deleted (masked: changed or hidden
 * since the segment was built). Only the base segment has deletions; a delta is rebuilt whole instead.
 */
export interface KeywordSegment {
  index: InvertedIndex;
  offset: number;
  deleted: ReadonlySet<number>;
}

/**
 * Keyword search over segments (an immutable base and a small delta) as if they were one index: every
 * segment's terms are weighted with the collection's statistics, document count and document frequency summed
 * over the segments without their deleted documents, so a document scores the same whichever segment holds
 * it. A delta is built with its base's average field lengths (`buildKeywordIndex`'s `averageLength`), so the
 * impacts of both are on one scale. Deleted documents are dropped from every list; their share of a term's
 * document frequency is counted once per term, on first use, by walking the term's postings to the deleted
 * documents (block skips make that cheap for the few documents a delta deletes).
 */
export class SegmentedKeyword {
  private readonly corrections: Map<string, number>[];
  private readonly views: (InvertedIndex | undefined)[] = [];
  readonly documentCount: number;

  constructor(readonly segments: readonly KeywordSegment[]) {
    this.corrections = segments.map(() => new Map());
    this.documentCount = segments.reduce((n, s) => n + s.index.documentCount - s.deleted.size, 0);
  }

  /** Live documents holding the stem `term` (exact: the exact form), over all segments. */
  documentFrequency(term: string, exact = false): number {
    let df = 0;
    this.segments.forEach((s, i) => {
      const index = exact ? s.index.exact : s.index;
      if (index === null) return;
      const id = index.termId(term);
      if (id < 0) return;
      df += index.documentFrequency(id) - this.deletedWith(i, index, id, exact ? `=${term}` : term);
    });
    return df;
  }

  private deletedWith(segment: number, index: InvertedIndex, termId: number, key: string): number {
    const deleted = (this.segments[segment] as KeywordSegment).deleted;
    if (deleted.size === 0) return 0;
    const memo = this.corrections[segment] as Map<string, number>;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const cursor = index.cursor(termId);
    let count = 0;
    for (const doc of [...deleted].sort((a, b) => a - b)) {
      const at = cursor.advance(doc);
      if (at === END) break;
      if (at === doc) count++;
    }
    memo.set(key, count);
    return count;
  }

  /**
   * Segment `segment`'s index as the collection's statistics see it: the same postings, with the document
   * count and document frequencies of all segments (what idf reads: term weights, word-pair bonuses).
   */
  view(segment: number): InvertedIndex {
    const known = this.views[segment];
    if (known !== undefined) return known;
    const index = (this.segments[segment] as KeywordSegment).index;
    const made = this.statsView(index, false);
    this.views[segment] = made;
    return made;
  }

  private statsView(index: InvertedIndex, exact: boolean): InvertedIndex {
    const view = Object.create(index) as InvertedIndex;
    const terms = index.data.terms;
    Object.defineProperty(view, "documentCount", { value: this.documentCount });
    Object.defineProperty(view, "documentFrequency", {
      value: (termId: number) => this.documentFrequency(terms[termId] as string, exact),
    });
    const inner = exact || index.exact === null ? null : this.statsView(index.exact, true);
    Object.defineProperty(view, "exact", { value: inner });
    return view;
  }

  /** The query's weighted terms for one segment, with collection-wide idf. */
  termsFor(segment: number, parsed: ParsedQuery): WeightedTerm[] {
    return queryTerms(this.view(segment), parsed);
  }

  /** The segment holding global document `doc`, and its local number. */
  locate(doc: number): { segment: number; local: number } {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i] as KeywordSegment;
      if (doc >= s.offset) return { segment: i, local: doc - s.offset };
    }
    return { segment: 0, local: doc };
  }

  /** Live documents (global numbers, ascending) containing every phrase of the query. */
  phraseMatches(parsed: ParsedQuery): number[] {
    const out: number[] = [];
    for (const s of this.segments) {
      for (const doc of phraseMatches(s.index, parsed)) if (!s.deleted.has(doc)) out.push(doc + s.offset);
    }
    return out;
  }

  /**
   * BM25F top-k over all segments (phrases filter, word pairs add), best first, in global numbers: as
   * `keywordTopK` on one index, the first `depth` by BM25F are merged over the segments, and the first
   * `PAIR_DEPTH` of them get their word-pair bonuses (each in its own segment).
   */
  topK(parsed: ParsedQuery, k: number): Scored[] {
    if (parsed.problem !== null || k <= 0) return [];
    const depth = Math.max(k, Math.min(PAIR_DEPTH, k * 10));
    const all: Scored[] = [];
    this.segments.forEach((s, i) => {
      const terms = this.termsFor(i, parsed);
      let hits: Scored[];
      if (parsed.phrases.length > 0) {
        const among = Uint32Array.from(phraseMatches(s.index, parsed)).filter((d) => !s.deleted.has(d));
        hits = topKAmong(s.index, terms, among, depth);
      } else {
        // Deleted documents are dropped after retrieval: ask for more until `depth` live ones are in hand.
        let want = depth + Math.min(s.deleted.size, depth);
        for (;;) {
          const found = topKMaxScore(s.index, terms, want);
          hits = found.filter((h) => !s.deleted.has(h.doc));
          if (hits.length >= depth || found.length < want) break;
          want *= 2;
        }
      }
      for (const h of hits.slice(0, depth)) all.push({ doc: h.doc + s.offset, score: h.score });
    });
    const merged = sortScored(all).slice(0, depth);
    const head = merged.slice(0, PAIR_DEPTH);
    const bonused: Scored[] = [];
    this.segments.forEach((s, i) => {
      const end = s.offset + s.index.documentCount;
      const mine = head
        .filter((h) => h.doc >= s.offset && h.doc < end)
        .map((h) => ({ doc: h.doc - s.offset, score: h.score }));
      if (mine.length === 0) return;
      for (const h of withPairs(this.view(i), parsed, mine))
        bonused.push({ doc: h.doc + s.offset, score: h.score });
    });
    return [...sortScored(bonused), ...merged.slice(PAIR_DEPTH)].slice(0, k);
  }

  /** The keyword score of each candidate (global numbers); candidates in no segment's lists score 0. */
  scoresAmong(parsed: ParsedQuery, candidates: readonly number[]): Map<number, number> {
    const out = new Map<number, number>();
    this.segments.forEach((s, i) => {
      const end = s.offset + s.index.documentCount;
      const local = Uint32Array.from(
        candidates.filter((d) => d >= s.offset && d < end).map((d) => d - s.offset),
      ).sort();
      if (local.length === 0) return;
      // The engine's own scoring of candidates (terms, exact forms, word pairs), on collection statistics.
      for (const h of keywordScoresAmong(this.view(i), parsed, local)) out.set(h.doc + s.offset, h.score);
    });
    return out;
  }
}

export function sortScored(hits: Scored[]): Scored[] {
  return hits.sort((a, b) => (ranksBefore(a.score, a.doc, b.score, b.doc) ? -1 : 1));
}
