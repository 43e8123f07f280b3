import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { SearchEngine } from "../../src/search/engine.ts";
import { loadEngine, saveEngine } from "../../src/search/persist/engine-file.ts";
import { DEFAULT_BM25, idf, pseudoFrequency, saturate } from "../../src/search/rank/bm25.ts";
import {
  DEFAULT_FUSION,
  fuseScores,
  reciprocalRankFusion,
  vectorShare,
} from "../../src/search/rank/fusion.ts";
import { pairWeightFor } from "../../src/search/rank/proximity.ts";
import { buildDoc, SMALL_CORPUS } from "./fixtures.ts";

describe("BM25F formula", () => {
  test("idf falls with document frequency and stays positive", () => {
    assert.ok(idf(1, 100) > idf(10, 100));
    assert.ok(idf(100, 100) > 0);
    assert.equal(idf(1, 1), Math.log(1 + 0.5 / 1.5));
  });

  test("a title occurrence outweighs an abstract one; saturation stays below 1", () => {
    const params = {
      k1: 1.2,
      fields: {
        title: { weight: 2, b: 0 },
        authors: { weight: 1, b: 0 },
        abstract: { weight: 1, b: 0 },
      },
    };
    const len = { title: 5, authors: 2, abstract: 100 };
    const inTitle = pseudoFrequency({ title: 1, authors: 0, abstract: 0 }, len, len, params);
    const inAbstract = pseudoFrequency({ title: 0, authors: 0, abstract: 1 }, len, len, params);
    assert.equal(inTitle, 2);
    assert.equal(inAbstract, 1);
    assert.ok(saturate(1000, 1.2) < 1);
  });
});

describe("keyword ranking on a fixed corpus", () => {
  let engine: SearchEngine;
  before(async () => {
    engine = await SearchEngine.build(SMALL_CORPUS, { train: { dimensions: 16 } });
  });
  const ids = async (query: string) =>
    (await engine.search(query, { mode: "keyword" })).hits.map((h) => h.id);

  test("title matches rank above abstract matches", async () => {
    assert.deepEqual(await ids("label shift"), ["label-shift", "tta", "domain", "proteins"]);
  });

  test("rarer words weigh more", async () => {
    assert.deepEqual(await ids("distribution merging"), ["merging", "tta", "domain"]);
  });

  test("a word repeated in the query counts once", async () => {
    const once = await engine.search("distribution merging", { mode: "keyword" });
    const repeated = await engine.search("distribution merging merging merged", { mode: "keyword" });
    assert.deepEqual(repeated.hits, once.hits);
  });

  test("stemming joins word forms", async () => {
    assert.deepEqual(await ids("adapting models"), ["tta", "merging", "domain"]);
  });

  test("author names are searchable and weigh between title and abstract", async () => {
    assert.deepEqual(await ids("Lovelace"), ["tta", "merging"]);
  });

  test("a quoted phrase must appear in order", async () => {
    assert.deepEqual(await ids('"distribution shift"'), ["tta", "domain"]);
    assert.deepEqual(await ids('"shift distribution"'), []);
    assert.deepEqual(await ids('"domain shift" distribution'), ["domain"]);
  });

  test("no phrase runs across fields", async () => {
    // "shift" ends tta's title and "we" (a stop word), "adapt" start its abstract.
    assert.deepEqual(await ids('"shift adapt"'), []);
  });
});

describe("exact forms and word pairs", () => {
  // Documents listed so that, without the feature under test, a tie goes to the wrong one (lower number).
  const corpus = [
    buildDoc({ id: "cousin", abstract: "A generation model for images and a study of sound." }),
    buildDoc({ id: "exact", abstract: "A generative model for images and a study of sound." }),
    buildDoc({ id: "apart", abstract: "Contrastive images with learning pairs." }),
    buildDoc({ id: "together", abstract: "Contrastive learning with noisy image text pairs." }),
    buildDoc({ id: "other", abstract: "Unrelated filler about proteins and folding." }),
  ];
  let engine: SearchEngine;
  before(async () => {
    engine = await SearchEngine.build(corpus, { train: { dimensions: 8 } });
  });
  const ids = async (query: string) =>
    (await engine.search(query, { mode: "keyword" })).hits.map((h) => h.id);

  test("the word as typed outranks a word sharing its stem, which still matches", async () => {
    assert.deepEqual(await ids("generative"), ["exact", "cousin"]);
    assert.deepEqual(await ids("generation"), ["cousin", "exact"]);
  });

  test("words kept together as typed outrank the same words apart", async () => {
    const hits = await ids("contrastive learning");
    assert.deepEqual(hits.slice(0, 2), ["together", "apart"]);
  });

  test("with exact forms and pairs off, stems alone decide (the tie goes to the lower number)", async () => {
    const plain = await SearchEngine.build(corpus, {
      train: { dimensions: 8 },
      bm25: { ...DEFAULT_BM25, exactWeight: 0, pairWeight: 0 },
    });
    const ids = async (query: string) =>
      (await plain.search(query, { mode: "keyword" })).hits.map((h) => h.id);
    assert.deepEqual(await ids("generative"), ["cousin", "exact"]);
    // The shorter abstract wins on BM25F's length normalisation.
    assert.deepEqual((await ids("contrastive learning")).slice(0, 2), ["apart", "together"]);
  });

  test("the exact-form index survives a save and a load", async () => {
    const dir = mkdtempSync(join(tmpdir(), "paperboy-exact-"));
    try {
      saveEngine(engine, join(dir, "engine.pbs"));
      const loaded = loadEngine(join(dir, "engine.pbs"));
      assert.ok(loaded.index.exact !== null);
      assert.deepEqual(
        (await loaded.search("generative", { mode: "keyword" })).hits,
        (await engine.search("generative", { mode: "keyword" })).hits,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("fusion", () => {
  test("normalised score fusion scales each side to [0, 1] and mixes them", () => {
    const fused = fuseScores([10, 5, 0], [0.2, 0.4, 0.3], 0.5);
    assert.deepEqual(
      fused.map((x) => Number(x.toFixed(6))),
      [0.5, 0.75, 0.25],
    );
  });

  test("with no vector share the keyword order stands and the vector score only breaks ties", () => {
    const fused = fuseScores([10, 5, 5, 0], [0.1, 0.2, 0.9, 0.8], 0);
    const order = fused.map((score, i) => ({ i, score })).sort((a, b) => b.score - a.score);
    assert.deepEqual(
      order.map((x) => x.i),
      [0, 2, 1, 3],
    );
  });

  test("the vector share grows with the query's distinct words and the embedder's coverage", () => {
    const params = { maxVectorShare: 0.5, keywordOnlyUpTo: 5, fullShareFrom: 10, stopWordWeight: 2 };
    // Short queries (a name, two key phrases) are keyword-led.
    assert.equal(vectorShare({ words: 2, stopWords: 0, coverage: 1 }, params), 0);
    assert.equal(vectorShare({ words: 5, stopWords: 0, coverage: 1 }, params), 0);
    // Linear between 5 and 10 words, full from 10.
    assert.equal(vectorShare({ words: 7, stopWords: 0, coverage: 1 }, params), 0.5 * (2 / 5));
    assert.equal(vectorShare({ words: 10, stopWords: 0, coverage: 1 }, params), 0.5);
    assert.equal(vectorShare({ words: 30, stopWords: 0, coverage: 1 }, params), 0.5);
    // Words the embedder never saw take their part of the share away.
    assert.equal(vectorShare({ words: 12, stopWords: 0, coverage: 0.5 }, params), 0.25);
    assert.equal(vectorShare({ words: 12, stopWords: 0, coverage: 0 }, params), 0);
    // Stop words make a sentence read longer than a list of key phrases with as many content words.
    assert.equal(vectorShare({ words: 4, stopWords: 3, coverage: 1 }, params), 0.5);
    assert.equal(vectorShare({ words: 4, stopWords: 1, coverage: 1 }, params), 0.5 * (1 / 5));
  });

  test("the word-pair weight fades as the query grows into a sentence", () => {
    const params = { pairWeight: 1, window: 1, fullUpTo: 6, offFrom: 12, stopWordWeight: 2 };
    assert.equal(pairWeightFor(3, params), 1);
    assert.equal(pairWeightFor(6, params), 1);
    assert.equal(pairWeightFor(9, params), 0.5);
    assert.equal(pairWeightFor(12, params), 0);
    assert.equal(pairWeightFor(30, params), 0);
  });

  test("the default fusion is keyword-only for short queries and shared for long ones", () => {
    assert.equal(vectorShare({ words: 3, stopWords: 0, coverage: 1 }), 0);
    assert.equal(vectorShare({ words: 15, stopWords: 0, coverage: 1 }), DEFAULT_FUSION.maxVectorShare);
  });

  test("reciprocal rank fusion adds 1 / (k + rank) per list", () => {
    const fused = reciprocalRankFusion([{ ids: ["a", "b"] }, { ids: ["b", "c"] }], { k: 1 });
    assert.deepEqual(
      fused.map((x) => [x.id, Number(x.score.toFixed(6))]),
      [
        ["b", Number((1 / 3 + 1 / 2).toFixed(6))],
        ["a", 0.5],
        ["c", Number((1 / 3).toFixed(6))],
      ],
    );
  });
});
