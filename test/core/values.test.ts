import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  archiveOf,
  authorKey,
  normalizeAuthorName,
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
  test("timestamps past year 9999 or before year 0 are refused: they would not sort as text", () => {
    // Found by test/fuzz: Date reads these, and toISOString writes "+010000-01-01T...".
    for (const t of ["Sat, 1 Jan 10000 00:00:00 GMT", "+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00Z"]) {
      assert.throws(() => parseTimestamp(t), /not a date-time/);
    }
    assert.equal(parseTimestamp("9999-12-31T23:59:59Z"), "9999-12-31T23:59:59.000Z");
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
  test("author names: LaTeX accents and letters become characters, anything else stays", () => {
    const cases: Array<[string, string]> = [
      // As arXiv's metadata writes them (../shared/data/arxiv-abs).
      [String.raw`C. Bal\'azs`, "C. Balázs"],
      [String.raw`R. Tom\`as`, "R. Tomàs"],
      [String.raw`Mikkel {\O}bro`, "Mikkel Øbro"],
      [String.raw`Tom\'a\v{s} Vina\v{r}`, "Tomáš Vinař"],
      [String.raw`Franz  G\"ahler (Institut f\"ur Physik)`, "Franz Gähler (Institut für Physik)"],
      // Other spellings of the same accents.
      [String.raw`Fran\c{c}ois`, "François"],
      [String.raw`Fran\c cois`, "François"],
      [String.raw`{\'E}mile Jos\'{e}`, "Émile José"],
      [String.raw`Mart{\'\i}nez`, "Martínez"],
      [String.raw`Gro{\ss}e`, "Große"],
      [String.raw`J. \L{}ukasiewicz`, "J. Łukasiewicz"],
      [String.raw`Bj\o rn`, "Bjørn"],
      [String.raw`Erd\H{o}s`, "Erdős"],
      [String.raw`D\"{u}rr`, "Dürr"],
      // Not accents: kept as written.
      [String.raw`A. \textit{Someone}`, String.raw`A. \textit{Someone}`],
      [String.raw`a\\b`, String.raw`a\\b`],
      ["Jürgen Schmidhuber", "Jürgen Schmidhuber"],
    ];
    for (const [raw, want] of cases) assert.equal(normalizeAuthorName(raw), want, raw);
    // Composed, so the same name typed with a keyboard compares equal.
    assert.equal(normalizeAuthorName(String.raw`G\"ahler`), "G\u00e4hler");
  });
});
