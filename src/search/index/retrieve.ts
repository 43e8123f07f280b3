import { END, type InvertedIndex, type PostingCursor } from "./inverted-index.ts";
import { type Scored, TopK } from "./top-k.ts";

/**
 * A query term as the retrieval loop sees it: its number and its weight, the factor that turns the 8-bit impact
 * into score (query weight x idf / 255). A document's score is the sum over terms, in the given order, of
 * weight x impact; the order is fixed so that every strategy below adds the same numbers the same way.
 */
export interface WeightedTerm {
  termId: number;
  weight: number;
  /** The index the term number belongs to, when not the one searched (an exact form: `index.exact`). */
  index?: InvertedIndex;
}

/** Relative slack on bounds, so that rounding in a bound never prunes a document that would enter. */
const SLACK = 1e-9;

/**
 * Exact top-k by block-max MaxScore (Turtle & Flood 1995; Ding & Suel 2011): terms are sorted by their
 * highest possible contribution; the cheapest ones whose bounds together cannot beat the current k-th score
 * become "non-essential" and are only looked up for documents that some essential term proposes, and a
 * document is dropped as soon as its partial score plus the remaining (block) bounds cannot enter the top k.
 * Documents are visited in increasing number, so a later document that only ties the k-th score never enters
 * (ties go to the lower number): bounds that merely equal the threshold prune.
 */
export function topKMaxScore(index: InvertedIndex, terms: readonly WeightedTerm[], k: number): Scored[] {
  const live = terms.filter((t) => t.termId >= 0 && t.weight > 0);
  const n = live.length;
  if (n === 0 || k <= 0) return [];
  const cursors = live.map((t) => (t.index ?? index).cursor(t.termId));
  const weights = live.map((t) => t.weight);
  const bound = live.map((t) => t.weight * ((t.index ?? index).data.termMax[t.termId] as number));
  // order[j]: the term with the j-th smallest bound; prefix[j]: sum of the bounds of order[0..j].
  const order = [...bound.keys()].sort((a, b) => (bound[a] as number) - (bound[b] as number));
  const prefix = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    sum += bound[order[j] as number] as number;
    prefix[j] = sum;
  }
  const impact = new Float64Array(n);
  const top = new TopK(k);
  let firstEssential = 0;
  let theta = Number.NEGATIVE_INFINITY;
  for (;;) {
    const cut = theta - SLACK * Math.abs(theta);
    while (firstEssential < n && (prefix[firstEssential] as number) <= cut) firstEssential++;
    if (firstEssential >= n) break;
    let doc = END;
    for (let j = firstEssential; j < n; j++) {
      const d = (cursors[order[j] as number] as PostingCursor).doc;
      if (d < doc) doc = d;
    }
    if (doc === END) break;
    impact.fill(0);
    let partial = 0;
    for (let j = firstEssential; j < n; j++) {
      const i = order[j] as number;
      const c = cursors[i] as PostingCursor;
      if (c.doc === doc) {
        const v = c.impact();
        impact[i] = v;
        partial += (weights[i] as number) * v;
        c.next();
      }
    }
    let pruned = false;
    for (let j = firstEssential - 1; j >= 0; j--) {
      const rest = j > 0 ? (prefix[j - 1] as number) : 0;
      if (partial + (prefix[j] as number) <= cut) {
        pruned = true;
        break;
      }
      const i = order[j] as number;
      const c = cursors[i] as PostingCursor;
      const w = weights[i] as number;
      if (partial + w * c.blockMaxFor(doc) + rest <= cut) continue;
      if (c.advance(doc) === doc) {
        const v = c.impact();
        impact[i] = v;
        partial += w * v;
      }
    }
    if (pruned) continue;
    let score = 0;
    for (let i = 0; i < n; i++) score += (weights[i] as number) * (impact[i] as number);
    if (top.offer(doc, score) && top.full) theta = top.threshold;
  }
  return top.sorted();
}

/** Exact top-k by scoring every matching document (term at a time); the reference MaxScore must equal. */
export function topKExhaustive(index: InvertedIndex, terms: readonly WeightedTerm[], k: number): Scored[] {
  const acc = new Float64Array(index.documentCount);
  const seen = new Uint8Array(index.documentCount);
  for (const t of terms) {
    if (t.termId < 0 || t.weight <= 0) continue;
    const c = (t.index ?? index).cursor(t.termId);
    for (let d = c.doc; d !== END; d = c.next()) {
      acc[d] = (acc[d] as number) + t.weight * c.impact();
      seen[d] = 1;
    }
  }
  const top = new TopK(k);
  for (let d = 0; d < acc.length; d++) if (seen[d]) top.offer(d, acc[d] as number);
  return top.sorted();
}

/** Exact top-k among the given documents only (sorted ascending), e.g. those that match a phrase. */
export function topKAmong(
  index: InvertedIndex,
  terms: readonly WeightedTerm[],
  candidates: ArrayLike<number>,
  k: number,
): Scored[] {
  const live = terms.filter((t) => t.termId >= 0 && t.weight > 0);
  const cursors = live.map((t) => (t.index ?? index).cursor(t.termId));
  const top = new TopK(k);
  for (let c = 0; c < candidates.length; c++) {
    const doc = candidates[c] as number;
    let score = 0;
    for (let i = 0; i < live.length; i++) {
      const cursor = cursors[i] as PostingCursor;
      if (cursor.advance(doc) === doc) score += (live[i] as { weight: number }).weight * cursor.impact();
    }
    top.offer(doc, score);
  }
  return top.sorted();
}
