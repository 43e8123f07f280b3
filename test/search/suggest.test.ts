import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { buildIndex } from "../../src/search/index/build.ts";
import {
  closestPrefixTerm,
  closestSpelling,
  closestTerm,
  cooccurrence,
  editDistance,
  findsAtLeastAsMany,
  prefixDistance,
  replaceOutsideFilters,
} from "../../src/search/service/suggest.ts";
import { buildDoc } from "./fixtures.ts";

describe("spelling suggestions", () => {
  test("edit distance counts insertions, deletions, substitutions and swaps of neighbours as one edit", () => {
    assert.equal(editDistance("search", "search", 2), 0);
    assert.equal(editDistance("serch", "search", 2), 1);
    assert.equal(editDistance("tset", "test", 2), 1);
    assert.equal(editDistance("modl", "model", 2), 1);
    assert.equal(editDistance("kitten", "sitting", 3), 3);
    assert.equal(editDistance("abc", "xyz", 1), 2, "past the limit comes back as limit + 1");
    assert.equal(editDistance("a", "abcdef", 2), 3);
    assert.equal(editDistance("", "ab", 2), 2);
  });

  test("the closest term wins, then one with the same first letter, then the commonest", () => {
    const terms = ["set", "test", "tent", "search", "starch", "xy"];
    const df = [900, 40, 50, 30, 300, 99];
    assert.equal(closestTerm(terms, df, "tset", 1), "test", "a swap is one edit; 'set' starts differently");
    assert.equal(closestTerm(terms, df, "serch", 1), "search");
    assert.equal(
      closestTerm(terms, df, "tet", 1),
      "tent",
      "three at distance one: the commoner of the two with its first letter",
    );
    assert.equal(closestTerm(terms, df, "quantum", 2), null, "nothing close");
  });

  test("a term in one paper only, a very short term or a broken entry is never offered", () => {
    assert.equal(closestTerm(["graphs"], [1], "grapns", 1), null);
    assert.equal(closestTerm(["ab"], [50], "ax", 1), null);
    const broken = [undefined, "graph"] as unknown as string[];
    assert.equal(closestTerm(broken, [9, 9], "grapn", 1), "graph");
  });

  test("prefix distance: edits between a term and the closest start of a word that leaves letters over", () => {
    assert.equal(prefixDistance("adapt", "adaptaion", 1, 5), 0);
    assert.equal(prefixDistance("adpat", "adaptaion", 1, 5), 1, "a swap inside the prefix");
    assert.equal(prefixDistance("adapt", "adapt", 1, 5), 1, "the whole word leaves nothing over");
    assert.equal(prefixDistance("adapt", "adaptationally", 1, 5), 2, "more than five letters over");
    assert.equal(prefixDistance("generat", "regeneration", 1, 5), 2, "a prefix starts the word");
  });

  test("the term that begins a word: fewest edits, then longest, then commonest; never rare or short", () => {
    const terms = ["adapt", "ada", "adap", "adaptiv", "reinforc", "regener"];
    const df = [40, 90, 30, 1, 25, 8];
    assert.equal(closestPrefixTerm(terms, df, "adaptaion"), "adapt", "'adaptiv' is in one paper only");
    assert.equal(closestPrefixTerm(terms, df, "reinforcment"), "reinforc");
    assert.equal(closestPrefixTerm(terms, df, "zebrafish"), null);
    assert.equal(closestPrefixTerm(terms, df, "degeneration"), null, "the first letter must match");
  });
});

describe("spelling suggestions: which candidate", () => {
  test("a swap of two neighbouring letters is one edit: trasnformer is transformer, not transformed", () => {
    assert.equal(editDistance("trasnformer", "transformer", 2), 1);
    assert.equal(editDistance("trasnformer", "transformed", 2), 2);
    const spellings = new Map([
      ["transformed", 500],
      ["transformers", 400],
      ["transformer", 300],
      ["transform", 200],
    ]);
    assert.equal(closestSpelling(spellings, "trasnformer"), "transformer");
    assert.equal(closestSpelling(spellings, "trasnformed"), "transformed");
  });

  test("among candidates as close, the one in most papers", () => {
    // A fresh vocabulary each time: its by-length index is kept per terms array, with the counts it came with.
    const terms = () => ["grape", "graph", "grasp"];
    assert.equal(closestTerm(terms(), [10, 500, 30], "grapx", 1), "graph");
    assert.equal(closestTerm(terms(), [600, 500, 30], "grapx", 1), "grape");
  });

  test("among candidates as close, the one that fits the rest of the query beats a commoner one", () => {
    const terms = () => ["grape", "graph", "grasp"];
    const fit = (c: string) => (c === "graph" ? 7 : c === "grape" ? 1 : 0);
    assert.equal(closestTerm(terms(), [600, 500, 30], "grapx", 1, fit), "graph");
    assert.equal(
      closestTerm(terms(), [600, 500, 30], "grapx", 1, () => 0),
      "grape",
      "no fit either way: the commoner",
    );
    assert.equal(
      closestTerm(["graph", "gravy"], [5, 500], "grapy", 1, fit),
      "graph",
      "fit among the nearest only",
    );
    assert.equal(
      closestTerm(["grape", "sraph"], [5, 500], "graph", 1, (c) => (c === "sraph" ? 9 : 0)),
      "grape",
    );
  });

  test("fit is the papers a candidate shares with the query's other words", () => {
    const analyzer = createAnalyzer();
    const index = buildIndex(
      [
        buildDoc({ id: "a", title: "graph neural networks", abstract: "message passing on graph nodes" }),
        buildDoc({ id: "b", title: "graph convolution networks", abstract: "spectral filters" }),
        buildDoc({ id: "c", title: "grape harvest", abstract: "vineyards and wine" }),
        buildDoc({ id: "d", title: "grape varieties", abstract: "networks of vineyards" }),
      ],
      analyzer,
    );
    const stem = (w: string) => (analyzer.analyze(w)[0] as { term: string }).term;
    const fit = cooccurrence(index, [stem("networks")]);
    assert.equal(fit(stem("graph")), 2);
    assert.equal(fit(stem("grape")), 1);
    assert.equal(fit("nosuchterm"), 0);
  });

  test("a suggestion that finds fewer papers than the words as typed is never offered", () => {
    assert.equal(findsAtLeastAsMany(10, 9), false);
    assert.equal(findsAtLeastAsMany(10, 10), true);
    assert.equal(findsAtLeastAsMany(0, 3), true);
  });
});

test("a correction never rewrites a filter's value, an unquoted author name included", () => {
  const fix = (q: string) => replaceOutsideFilters(q, /protien/gi, () => "protein");
  assert.equal(fix("protien author:Protien Smith"), "protein author:Protien Smith");
  assert.equal(fix("author:Protien Smith cat:q-bio protien"), "author:Protien Smith cat:q-bio protein");
  assert.equal(fix('author:Jo Protien "protien fold"'), 'author:Jo Protien "protein fold"');
  assert.equal(fix("author:Jo Protien -protien"), "author:Jo Protien -protein");
  assert.equal(fix('author:"Jo Protien" protien'), 'author:"Jo Protien" protein');
});
