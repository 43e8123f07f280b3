import assert from "node:assert/strict";
import { test } from "node:test";
import { SORTED_CUT, sortedCut } from "../../src/search/service/engine-search.ts";

test("a sorted search takes the engine's best 50, one in a hundred papers in a smaller library, at least one", () => {
  assert.equal(SORTED_CUT, 50);
  assert.equal(sortedCut(1_000_000), 50);
  assert.equal(sortedCut(9_577), 50);
  assert.equal(sortedCut(2_400), 24);
  assert.equal(sortedCut(24), 1);
  assert.equal(sortedCut(0), 1);
});
