import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  closestPrefixTerm,
  closestTerm,
  editDistance,
  prefixDistance,
} from "../../src/search/service/suggest.ts";

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
