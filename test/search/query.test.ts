import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { SearchEngine, type SearchMode } from "../../src/search/engine.ts";
import { parseQuery } from "../../src/search/query/parse.ts";
import { SMALL_CORPUS } from "./fixtures.ts";

const analyzer = createAnalyzer();

describe("query parser", () => {
  test("words and a quoted phrase", () => {
    const parsed = parseQuery('"label shift" correction', analyzer);
    assert.deepEqual(parsed.terms, ["label", "shift", "correct"]);
    assert.deepEqual(parsed.phrases, [{ text: "label shift", terms: ["label", "shift"], offsets: [0, 1] }]);
    assert.equal(parsed.problem, null);
  });

  test("a repeated word (or one also in a phrase) is one term, in order of first appearance", () => {
    const parsed = parseQuery('shift in label shift: "label shift" shifts', analyzer);
    assert.deepEqual(parsed.terms, ["shift", "label"]);
    assert.deepEqual(parsed.phrases[0]?.terms, ["label", "shift"]);
  });

  test("exact forms, successive word pairs and stop words are kept for ranking", () => {
    const parsed = parseQuery("Generative models of the protein-folding", analyzer);
    assert.deepEqual(parsed.terms, ["generat", "model", "protein", "fold"]);
    assert.deepEqual(parsed.exact, ["generative", "models", "protein", "folding"]);
    assert.deepEqual(parsed.pairs, [
      { first: "generat", second: "model", gap: 1 },
      { first: "model", second: "protein", gap: 3 },
      { first: "protein", second: "fold", gap: 1 },
    ]);
    assert.equal(parsed.stopWords, 2);
    // No pair across a quote's edge, none over more than two stop words.
    const quoted = parseQuery('model "label shift" of all the data', analyzer);
    assert.deepEqual(
      quoted.pairs?.map((p) => `${p.first} ${p.second}`),
      ["label shift"],
    );
  });

  test("stop words inside a phrase leave gaps", () => {
    const parsed = parseQuery("“covariate and label shift”", analyzer);
    assert.deepEqual(parsed.phrases[0]?.offsets, [0, 2, 3]);
  });

  test("an unbalanced quote is read as plain text, with a note", () => {
    const parsed = parseQuery('domain "shift', analyzer);
    assert.deepEqual(parsed.terms, ["domain", "shift"]);
    assert.deepEqual(parsed.phrases, []);
    assert.match(parsed.notes.join(" "), /unmatched quote/);
  });

  test("only stop words: a clear problem, no terms", () => {
    const parsed = parseQuery("the of and to be", analyzer);
    assert.deepEqual(parsed.terms, []);
    assert.match(parsed.problem ?? "", /only common words/);
  });

  test("empty and punctuation-only queries: a clear problem", () => {
    for (const q of ["", "   ", "!!! ??? ...", "🙂🙃", '""']) {
      assert.match(parseQuery(q, analyzer).problem ?? "", /no words/, JSON.stringify(q));
    }
  });

  test("10 KB of text is cut to the first distinct words, with notes", () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(" ");
    const parsed = parseQuery(words, analyzer);
    assert.equal(new Set(parsed.terms).size, 64);
    assert.equal(parsed.notes.length, 2);
  });
});

describe("hostile queries never crash the engine", () => {
  let engine: SearchEngine;
  before(async () => {
    engine = await SearchEngine.build(SMALL_CORPUS, { train: { epochs: 1, dimensions: 16 } });
  });

  const hostile: Record<string, string> = {
    "only stop words": "the and of it",
    "unbalanced quotes": '"distribution shift',
    "unbalanced typographic quotes": "“label shift",
    "empty phrase": 'shift ""',
    LaTeX: "$\\mathcal{L}_{\\text{shift}}(\\theta) = \\sum_i \\alpha_i$ distribution",
    emoji: "🚀 distribution 🤖 shift 💥",
    "10 KB of text": "distribution shift adaptation ".repeat(350),
    "10 KB without spaces": "x".repeat(10_240),
    "query syntax": "title:shift AND (label OR domain) NOT test* ~2 ^3 +model -merging",
    SQL: "'; DROP TABLE papers; -- shift\" OR 1=1",
    "control characters": "shift\u0000\u0007\u001b[31m label",
    "lone surrogate": "shift \ud800 label",
    "unknown words": "zzyzx qwertyuiop",
    "phrase of unknown words": '"zzyzx qwertyuiop"',
    "only a number": "2024",
  };
  for (const [name, query] of Object.entries(hostile)) {
    for (const mode of ["keyword", "vector", "hybrid"] satisfies SearchMode[]) {
      test(`${name} (${mode})`, async () => {
        const result = await engine.search(query, { mode, limit: 5 });
        assert.ok(Array.isArray(result.hits));
        if (result.problem !== null) assert.equal(result.hits.length, 0);
        for (const hit of result.hits) assert.ok(Number.isFinite(hit.score));
      });
    }
  }

  test("syntax characters are plain text: the words in them still find papers", async () => {
    const result = await engine.search("title:shift AND (label OR domain)", { mode: "keyword" });
    assert.equal(result.problem, null);
    assert.ok(result.hits.length > 0);
  });
});

describe("degenerate libraries", () => {
  test("an empty library answers every query with no hits", async () => {
    const engine = await SearchEngine.build([]);
    for (const mode of ["keyword", "vector", "hybrid"] as const) {
      const result = await engine.search("distribution shift", { mode });
      assert.deepEqual(result.hits, []);
    }
  });

  test("a one-paper library finds it", async () => {
    const engine = await SearchEngine.build(SMALL_CORPUS.slice(0, 1));
    for (const mode of ["keyword", "hybrid"] as const) {
      const result = await engine.search("test-time adaptation", { mode });
      assert.deepEqual(
        result.hits.map((h) => h.id),
        ["tta"],
      );
    }
  });
});
