import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { IsoDate } from "../../src/core/index.ts";
import { combineFilters, hasFilters } from "../../src/search/service/filters.ts";
import { mergeNewer } from "../../src/search/service/merge.ts";

describe("merging papers newer than the engine", () => {
  const engine = [
    { id: "a", score: 0.9 },
    { id: "b", score: 0.8 },
    { id: "c", score: 0.7 },
  ];

  test("a newer paper takes its position in the store's ranking, and the score found there", () => {
    assert.deepEqual(mergeNewer(engine, [{ id: "n", position: 1, score: 12 }]), [
      { id: "a", score: 0.9 },
      { id: "n", score: 0.8 },
      { id: "b", score: 0.8 },
      { id: "c", score: 0.7 },
    ]);
  });

  test("several newer papers keep their order; positions past the end append", () => {
    const merged = mergeNewer(engine, [
      { id: "late", position: 40, score: 1 },
      { id: "first", position: 0, score: 9 },
    ]);
    assert.deepEqual(
      merged.map((m) => m.id),
      ["first", "a", "b", "c", "late"],
    );
    assert.equal(merged.at(-1)?.score, 0.7);
  });

  test("with no engine results, newer papers keep the store's scores", () => {
    assert.deepEqual(mergeNewer([], [{ id: "n", position: 3, score: 4.5 }]), [{ id: "n", score: 4.5 }]);
    assert.deepEqual(mergeNewer(engine, []), engine);
  });
});

describe("filters from the query and from the form", () => {
  test("authors and categories add up, dates take the narrower range", () => {
    const combined = combineFilters(
      {
        authors: ["ada lovelace"],
        categories: ["cs.LG"],
        since: "2024-01-01" as IsoDate,
        until: "2024-12-31" as IsoDate,
      },
      { authors: ["grace hopper", "ada lovelace"], categories: ["cs.CL"], since: "2024-03-01" as IsoDate },
    );
    assert.deepEqual(combined, {
      authors: ["ada lovelace", "grace hopper"],
      categories: ["cs.LG", "cs.CL"],
      since: "2024-03-01",
      until: "2024-12-31",
    });
    assert.equal(hasFilters(combined), true);
    assert.equal(hasFilters(combineFilters({}, { authors: [] })), false);
  });
});
