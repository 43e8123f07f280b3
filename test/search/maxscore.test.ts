import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { buildIndex } from "../../src/search/index/build.ts";
import { END } from "../../src/search/index/inverted-index.ts";
import {
  topKAmong,
  topKExhaustive,
  topKMaxScore,
  type WeightedTerm,
} from "../../src/search/index/retrieve.ts";
import { Random } from "../../src/search/vector/random.ts";
import { buildDoc } from "./fixtures.ts";

/** Words with a Zipf-like spread of frequencies, so lists range from a handful of postings to most documents. */
function randomCorpus(random: Random, docs: number, vocabulary: number) {
  const word = () => `w${Math.floor(vocabulary * random.next() ** 3)}x`;
  const text = (n: number) => Array.from({ length: n }, word).join(" ");
  return Array.from({ length: docs }, (_, i) =>
    buildDoc({
      id: `d${i}`,
      title: text(3 + Math.floor(random.next() * 8)),
      abstract: text(Math.floor(random.next() * 120)),
    }),
  );
}

describe("block-max MaxScore", () => {
  const random = new Random(7);
  const index = buildIndex(randomCorpus(random, 3000, 2000), createAnalyzer());

  test("postings decode to every document in order", () => {
    let total = 0;
    for (let t = 0; t < index.termCount; t++) {
      const c = index.cursor(t);
      let last = -1;
      let n = 0;
      for (let d = c.doc; d !== END; d = c.next()) {
        assert.ok(d > last);
        last = d;
        n++;
      }
      assert.equal(n, index.documentFrequency(t));
      total += n;
    }
    assert.equal(total, index.data.impacts.length);
  });

  test("pruned top-k equals exhaustive top-k on random queries", () => {
    for (let q = 0; q < 300; q++) {
      const length = 1 + Math.floor(random.next() * 20);
      const terms: WeightedTerm[] = Array.from({ length }, () => ({
        termId: Math.floor(index.termCount * random.next() ** 2),
        weight: 0.1 + random.next() * 3,
      }));
      const k = [1, 10, 100, 1000][q % 4] as number;
      assert.deepEqual(topKMaxScore(index, terms, k), topKExhaustive(index, terms, k), `query ${q}`);
    }
  });

  test("scoring among given candidates agrees with the exhaustive scores", () => {
    const terms: WeightedTerm[] = [0, 5, 50, 500].map((termId) => ({ termId, weight: 1 }));
    const all = topKExhaustive(index, terms, index.documentCount);
    const candidates = Uint32Array.from(all.map((h) => h.doc)).sort();
    assert.deepEqual(topKAmong(index, terms, candidates, all.length), all);
  });

  test("unknown terms and empty queries give nothing", () => {
    assert.deepEqual(topKMaxScore(index, [{ termId: -1, weight: 1 }], 10), []);
    assert.deepEqual(topKMaxScore(index, [], 10), []);
  });
});
