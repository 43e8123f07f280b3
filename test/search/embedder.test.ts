import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { dot } from "../../src/search/vector/embedder.ts";
import { Random } from "../../src/search/vector/random.ts";
import { sampleTrainingPairs, trainCorpusEmbedder, trainingPairs } from "../../src/search/vector/train.ts";
import { embedderContract } from "./embedder-contract.ts";
import { SMALL_CORPUS } from "./fixtures.ts";

const analyzer = createAnalyzer();
const train = (seed: number) =>
  trainCorpusEmbedder(SMALL_CORPUS, analyzer, { dimensions: 32, epochs: 3, batchSize: 4, seed });

embedderContract("CorpusEmbedder", async () => train(1));

describe("corpus embedder training", () => {
  test("the same seed and corpus give the same model", () => {
    assert.deepEqual(train(3).model.weights, train(3).model.weights);
  });

  test("another seed gives another model", () => {
    assert.notDeepEqual(train(3).model.weights, train(4).model.weights);
  });

  test("pairs titles with abstracts and abstract sentences with the rest of their paper", () => {
    const pairs = trainingPairs([
      {
        title: "A title",
        abstract: "First sentence has six words here. Second sentence has six words too. Third one is short.",
      },
    ]);
    assert.deepEqual(pairs[0], [
      "A title",
      "First sentence has six words here. Second sentence has six words too. Third one is short.",
      "",
    ]);
    assert.deepEqual(pairs[1], [
      "First sentence has six words here.",
      "Second sentence has six words too. Third one is short.",
      "A title",
    ]);
    assert.equal(pairs.length, 3);
  });

  test("a sample of the pairs is the whole list shuffled and cut, built without the whole list", () => {
    // Papers of 0-5 sentences (a pair for the title, one per long sentence of an abstract of 3 or more).
    const corpus = Array.from({ length: 40 }, (_, d) => ({
      title: d % 7 === 0 ? "" : `Paper ${d} title`,
      abstract: Array.from(
        { length: d % 6 },
        (_, i) => `Sentence ${i} of paper ${d} has ${i % 2 === 0 ? "six words or more" : "few"}.`,
      ).join(" "),
    }));
    const all = trainingPairs(corpus);
    assert.ok(all.length > 40, `${all.length} pairs`);
    for (const [max, seed] of [
      [5, 1],
      [17, 2],
      [all.length - 1, 3],
    ] as const) {
      const expected = new Random(seed).shuffle([...all]).slice(0, max);
      assert.deepEqual(sampleTrainingPairs(corpus, max, seed), expected, `${max} pairs, seed ${seed}`);
    }
    // At most the cap: every pair, in corpus order, as before.
    assert.deepEqual(sampleTrainingPairs(corpus, all.length, 1), all);
  });

  test("a paper's own title embeds closest to it", async () => {
    const embedder = train(1);
    const docs = SMALL_CORPUS.map((d) => embedder.embedDocument(d.title, d.abstract));
    const [query] = await embedder.embed(["Model merging for multi-task learning"]);
    const scores = docs.map((v) => dot(query as Float32Array, v));
    assert.equal(scores.indexOf(Math.max(...scores)), 3);
  });
});
