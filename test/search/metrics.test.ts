import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { splitFolds } from "../../src/search/eval/beir.ts";
import { evaluateRun, mrrAt, ndcgAt, recallAt } from "../../src/search/eval/metrics.ts";

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe("retrieval metrics", () => {
  // Relevant: a (gain 2), b (gain 1), e (gain 1, never retrieved); c judged not relevant.
  const judged = new Map([
    ["a", 2],
    ["b", 1],
    ["c", 0],
    ["e", 1],
  ]);
  const ranked = ["x", "a", "c", "b"];

  test("nDCG@10 with graded gains, log2 discount and the ideal from the judgments", () => {
    const dcg = 2 / Math.log2(3) + 1 / Math.log2(5);
    const ideal = 2 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4);
    close(ndcgAt(ranked, judged, 10), dcg / ideal);
    close(ndcgAt(["a", "b", "e"], judged, 10), 1);
    close(ndcgAt(ranked, judged, 1), 0);
  });

  test("Recall@k counts relevant documents found", () => {
    close(recallAt(ranked, judged, 100), 2 / 3);
    close(recallAt(ranked, judged, 2), 1 / 3);
  });

  test("MRR@k is the reciprocal rank of the first relevant result", () => {
    close(mrrAt(ranked, judged, 10), 1 / 2);
    close(mrrAt(ranked, judged, 1), 0);
  });

  test("means over judged queries; a judged query without results counts 0", () => {
    const qrels = new Map([
      ["q1", new Map([["a", 1]])],
      ["q2", new Map([["b", 1]])],
    ]);
    const summary = evaluateRun(new Map([["q1", ["a"]]]), qrels);
    assert.deepEqual(summary, { queries: 2, ndcg10: 0.5, recall100: 0.5, mrr10: 0.5 });
  });

  test("folds split queries stably into two disjoint halves", () => {
    const ids = Array.from({ length: 200 }, (_, i) => String(i));
    const [a, b] = splitFolds(ids);
    assert.equal(a.size + b.size, 200);
    assert.ok(a.size > 60 && b.size > 60);
    assert.deepEqual(splitFolds(ids), [a, b]);
  });
});
