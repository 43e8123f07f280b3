import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  archiveOf,
  authorKey,
  normalizeText,
  parseCategory,
  parseCategoryList,
  parseIsoDate,
  parseTimestamp,
} from "../../src/core/index.ts";

describe("categories", () => {
  test("accepts every arXiv form", () => {
    for (const c of [
      "cs.LG",
      "hep-th",
      "cond-mat.stat-mech",
      "physics.acc-ph",
      "q-fin.GN",
      "math-ph",
      "acc-phys",
    ]) {
      assert.equal(parseCategory(c), c);
    }
  });
  test("rejects what is not a category, naming it", () => {
    for (const c of ["", "CS.LG", "cs..LG", "cs.LG;", "cs LG", "x".repeat(50)]) {
      assert.throws(() => parseCategory(c), /not an arXiv category/);
    }
  });
  test("lists keep the primary first and drop duplicates", () => {
    assert.deepEqual(parseCategoryList("cs.LG stat.ML cs.LG"), ["cs.LG", "stat.ML"]);
    assert.deepEqual(parseCategoryList("cs.CV,  cs.AI"), ["cs.CV", "cs.AI"]);
    assert.equal(archiveOf(parseCategory("cs.LG")), "cs");
    assert.equal(archiveOf(parseCategory("hep-th")), "hep-th");
  });
});

describe("dates", () => {
  test("calendar dates are validated", () => {
    assert.equal(parseIsoDate("2024-02-29"), "2024-02-29");
    for (const d of ["2023-02-29", "2024-13-01", "2024-1-1", "yesterday", "1800-01-01"]) {
      assert.throws(() => parseIsoDate(d), /not a date/);
    }
  });
  test("timestamps from ISO and RFC 2822 become UTC ISO", () => {
    assert.equal(parseTimestamp("Mon, 2 Apr 2007 19:18:42 GMT"), "2007-04-02T19:18:42.000Z");
    assert.equal(parseTimestamp("2024-05-27T07:54:25.329Z"), "2024-05-27T07:54:25.329Z");
    assert.throws(() => parseTimestamp("soon"), /not a date-time/);
  });
});

describe("text", () => {
  test("unwraps lines, keeps LaTeX, drops control characters", () => {
    assert.equal(
      normalizeText("  Order $\\hbar$ Corrections\n  to the\tDynamics\u0000 "),
      "Order $\\hbar$ Corrections to the Dynamics",
    );
  });
  test("author keys fold accents, case and punctuation", () => {
    assert.equal(authorKey("Jürgen  Schmidhuber"), "jurgen schmidhuber");
    assert.equal(authorKey("O'Neil, J."), "o neil j");
  });
});
