/**
 * Retrieval metrics with their standard definitions (as in trec_eval and BEIR):
 * - nDCG@k: sum over the first k results of gain / log2(rank + 1), divided by the same sum for the ideal
 *   ranking of the judged documents; gains are the graded relevance from the qrels (trec_eval's linear gain,
 *   which BEIR reports; for binary judgments it equals the 2^gain - 1 form).
 * - Recall@k: judged-relevant documents (gain > 0) found in the first k, over all judged-relevant ones.
 * - MRR@k: 1 / rank of the first relevant result within k, else 0.
 * A query without relevant judgments scores 0 (callers evaluate only judged queries).
 */

/** Judgments of one query: document id -> graded relevance (0 = judged not relevant). */
export type Judgments = ReadonlyMap<string, number>;

function dcg(gains: readonly number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, gains.length); i++) sum += (gains[i] as number) / Math.log2(i + 2);
  return sum;
}

export function ndcgAt(ranked: readonly string[], judgments: Judgments, k: number): number {
  const gains = ranked.slice(0, k).map((id) => judgments.get(id) ?? 0);
  const ideal = [...judgments.values()].filter((g) => g > 0).sort((a, b) => b - a);
  const best = dcg(ideal, k);
  return best === 0 ? 0 : dcg(gains, k) / best;
}

export function recallAt(ranked: readonly string[], judgments: Judgments, k: number): number {
  let relevant = 0;
  for (const g of judgments.values()) if (g > 0) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  for (const id of ranked.slice(0, k)) if ((judgments.get(id) ?? 0) > 0) found++;
  return found / relevant;
}

export function mrrAt(ranked: readonly string[], judgments: Judgments, k: number): number {
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    if ((judgments.get(ranked[i] as string) ?? 0) > 0) return 1 / (i + 1);
  }
  return 0;
}

export interface MetricSummary {
  queries: number;
  ndcg10: number;
  recall100: number;
  mrr10: number;
}

/** Means over the judged queries; a judged query with no run counts as 0. */
export function evaluateRun(
  run: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, Judgments>,
): MetricSummary {
  let ndcg = 0;
  let recall = 0;
  let mrr = 0;
  for (const [query, judgments] of qrels) {
    const ranked = run.get(query) ?? [];
    ndcg += ndcgAt(ranked, judgments, 10);
    recall += recallAt(ranked, judgments, 100);
    mrr += mrrAt(ranked, judgments, 10);
  }
  const n = qrels.size;
  return n === 0
    ? { queries: 0, ndcg10: 0, recall100: 0, mrr10: 0 }
    : { queries: n, ndcg10: ndcg / n, recall100: recall / n, mrr10: mrr / n };
}
