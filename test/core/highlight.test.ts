import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseSearchQuery } from "../../src/core/search-query.ts";
import { highlight, snippet, type TextPiece } from "../../src/core/text/highlight.ts";

const marked = (pieces: TextPiece[]) => pieces.filter((p) => p.match).map((p) => p.text);
const joined = (pieces: TextPiece[]) => pieces.map((p) => p.text).join("");

describe("highlight", () => {
  test("marks words by stem, keeping the text exactly as written", () => {
    const text = "Adapting networks: test-time ADAPTATION for adaptive, adapted models.";
    const pieces = highlight(text, parseSearchQuery("adaptation network"));
    assert.equal(joined(pieces), text);
    assert.deepEqual(marked(pieces), ["Adapting", "networks", "ADAPTATION", "adaptive", "adapted"]);
  });

  test("marks a phrase whole, and its words alone only where the query has them as words", () => {
    const text = "Label shift differs from covariate shift; we correct the label prior.";
    assert.deepEqual(marked(highlight(text, parseSearchQuery('"label shift"'))), [
      "Label shift",
      "shift",
      "label",
    ]);
    const onlyPhrase = { terms: [], phrases: [{ words: ["label", "shift"] }] };
    assert.deepEqual(marked(highlight(text, onlyPhrase)), ["Label shift"]);
    const withStopWord = highlight("the shift of label noise", parseSearchQuery('"shift of label"'));
    assert.deepEqual(marked(withStopWord), ["shift of label"]);
  });

  test("folds accents, apostrophes and Greek letters as the search does", () => {
    assert.deepEqual(marked(highlight("Núñez's café", parseSearchQuery("nunez cafe"))), ["Núñez's", "café"]);
    assert.deepEqual(marked(highlight("α-synuclein aggregates", parseSearchQuery("alpha synuclein"))), [
      "α",
      "synuclein",
    ]);
  });

  test("no query, or no match, gives the text as one unmarked piece", () => {
    assert.deepEqual(highlight("A title", { terms: [], phrases: [] }), [{ text: "A title", match: false }]);
    assert.deepEqual(highlight("", parseSearchQuery("x")), []);
  });
});

describe("snippet", () => {
  const filler = "Heat flows from hot to cold reservoirs in every cycle we measured. ";
  const abstract = `${filler.repeat(8)}The entropy production stays bounded by $S \\geq k_B \\ln 2$ here. ${filler.repeat(8)}`;

  test("a short text is returned whole", () => {
    const pieces = snippet("Entropy is small.", parseSearchQuery("entropy"));
    assert.deepEqual(pieces, [
      { text: "Entropy", match: true },
      { text: " is small.", match: false },
    ]);
  });

  test("the window holds the match, at most the length asked, cut at word boundaries with ellipses", () => {
    const pieces = snippet(abstract, parseSearchQuery("entropy"), { maxChars: 120 });
    const text = joined(pieces);
    assert.deepEqual(marked(pieces), ["entropy"]);
    assert.ok(text.startsWith("…") && text.endsWith("…"));
    assert.ok(text.length <= 122, `${text.length}`);
    const inner = text.slice(1, -1);
    assert.ok(abstract.includes(inner));
    const at = abstract.indexOf(inner);
    assert.ok(at === 0 || abstract[at - 1] === " ", "starts at a word");
  });

  test("inline math is never cut in half", () => {
    for (const maxChars of [60, 70, 80, 90, 100]) {
      const text = joined(snippet(abstract, parseSearchQuery("entropy"), { maxChars, lead: 0 }));
      const dollars = text.split("$").length - 1;
      assert.equal(dollars % 2, 0, text);
    }
  });

  test("the window with more distinct words wins over one with repeats of one word", () => {
    const text = `${"cycle cycle cycle cycle. ".repeat(4)}${filler.repeat(4)}A cycle with entropy and work. ${filler.repeat(4)}`;
    const pieces = snippet(text, parseSearchQuery("cycle entropy"), { maxChars: 80 });
    assert.ok(marked(pieces).includes("entropy"));
  });

  test("no match: the text's start", () => {
    const pieces = snippet(abstract, parseSearchQuery("zebra"), { maxChars: 100 });
    assert.equal(pieces.length, 1);
    assert.ok(pieces[0]?.text.startsWith("Heat flows"));
    assert.ok(pieces[0]?.text.endsWith("…"));
  });
});
