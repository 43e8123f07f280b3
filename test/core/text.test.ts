import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { stem } from "../../src/core/text/stem.ts";
import { tokenize } from "../../src/core/text/tokenize.ts";

describe("Porter2 stemmer", () => {
  const cases: Record<string, string> = {
    caresses: "caress",
    ponies: "poni",
    ties: "tie",
    cats: "cat",
    agreed: "agre",
    feed: "feed",
    plastered: "plaster",
    motoring: "motor",
    hopping: "hop",
    hoping: "hope",
    filing: "file",
    happy: "happi",
    relational: "relat",
    conditional: "condit",
    generously: "generous",
    generation: "generat",
    abilities: "abil",
    knightly: "knight",
    consignment: "consign",
    consistently: "consist",
    communication: "communic",
    dying: "die",
    skies: "sky",
    news: "news",
    succeeded: "succeed",
    gas: "gas",
    gaps: "gap",
    cry: "cri",
    say: "say",
    yellow: "yellow",
  };
  for (const [word, expected] of Object.entries(cases)) {
    test(`${word} -> ${expected}`, () => assert.equal(stem(word), expected));
  }

  test("inflections of one word share a stem", () => {
    for (const group of [
      ["adaptation", "adaptive", "adapting", "adapted", "adapts"],
      ["shift", "shifts", "shifted", "shifting"],
      ["distribution", "distributions"],
      ["generalization", "generalize", "generalized"],
    ]) {
      assert.equal(new Set(group.map(stem)).size, 1, group.join(", "));
    }
  });

  test("words that name Object.prototype's members stem like any other word", () => {
    assert.equal(stem("constructor"), "constructor");
    assert.equal(stem("constructors"), "constructor");
    assert.equal(stem("tostring"), "tostr");
    assert.equal(stem("valueof"), "valueof");
  });

  test("leaves numbers, short words and non-ASCII alone", () => {
    for (const word of ["2024", "p53", "il", "no", "naïve"]) assert.equal(stem(word), word);
  });
});

describe("tokenizer", () => {
  const words = (text: string) => tokenize(text).map((t) => t.text);

  test("lower-cases and splits on punctuation and hyphens", () => {
    assert.deepEqual(words("Test-Time Adaptation (TTA), out-of-distribution!"), [
      "test",
      "time",
      "adaptation",
      "tta",
      "out",
      "of",
      "distribution",
    ]);
  });

  test("folds accents, Greek letters and LaTeX commands to the same words", () => {
    assert.deepEqual(words("Naïve α-synuclein"), ["naive", "alpha", "synuclein"]);
    assert.deepEqual(words("$\\alpha$-synuclein"), ["alpha", "synuclein"]);
  });

  test("drops possessives and emoji, keeps numbers", () => {
    assert.deepEqual(words("Alzheimer's disease 🧠 in 2024"), ["alzheimer", "disease", "in", "2024"]);
  });

  test("positions count every token, and over-long tokens are skipped but counted", () => {
    const tokens = tokenize(`a ${"x".repeat(60)} b`);
    assert.deepEqual(
      tokens.map((t) => [t.text, t.position]),
      [
        ["a", 0],
        ["b", 2],
      ],
    );
  });

  test("the analyzer drops stop words and stems, keeping positions", () => {
    const analyzer = createAnalyzer();
    assert.deepEqual(
      analyzer.analyze("The effects of distribution shifts").map((t) => [t.term, t.position]),
      [
        ["effect", 1],
        ["distribut", 3],
        ["shift", 4],
      ],
    );
  });
});
