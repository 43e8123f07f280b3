import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { closestTerm, editDistance } from "../../src/search/service/suggest.ts";

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
});
