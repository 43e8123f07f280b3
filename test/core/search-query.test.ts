import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseSearchQuery } from "../../src/core/search-query.ts";

describe("parseSearchQuery", () => {
  test("words, a phrase and an exclusion; stop words left out of the terms", () => {
    const q = parseSearchQuery('test-time adaptation in "label shift" -medical');
    assert.deepEqual(q.terms, ["test", "time", "adaptation", "label", "shift"]);
    assert.deepEqual(q.phrases, [{ words: ["label", "shift"] }]);
    assert.deepEqual(q.excluded, [{ words: ["medical"] }]);
    assert.deepEqual(q.filters, {});
    assert.equal(q.text, 'test time adaptation "label shift" -medical');
    assert.deepEqual(q.notes, []);
    assert.equal(q.problem, null);
  });

  test("its text parses back to the same query, without filters", () => {
    const q = parseSearchQuery(
      '“covariate and label shift” author:Hopper domain -"medical imaging" year:2024',
    );
    const again = parseSearchQuery(q.text);
    assert.deepEqual(
      { terms: again.terms, phrases: again.phrases, excluded: again.excluded, filters: again.filters },
      { terms: q.terms, phrases: q.phrases, excluded: q.excluded, filters: {} },
    );
    assert.deepEqual(q.phrases, [{ words: ["covariate", "and", "label", "shift"] }]);
    assert.deepEqual(q.excluded, [{ words: ["medical", "imaging"] }]);
  });

  test("filters: author (quoted or not), categories, dates, year", () => {
    const q = parseSearchQuery(
      'author:"Yann LeCun" AUTHOR:Hinton cat:cs.LG,stat.ML category:cs.lg since:2024-01-01 until:2024-06 nets',
    );
    assert.deepEqual(q.filters, {
      authors: ["yann lecun", "hinton"],
      categories: ["cs.LG", "stat.ML"],
      since: "2024-01-01",
      until: "2024-06-30",
    });
    assert.deepEqual(q.terms, ["nets"]);
    assert.deepEqual(parseSearchQuery("year:2023").filters, { since: "2023-01-01", until: "2023-12-31" });
    assert.deepEqual(parseSearchQuery("since:2020 year:2023 until:2023-03-31").filters, {
      since: "2023-01-01",
      until: "2023-03-31",
    });
    assert.deepEqual(parseSearchQuery("cat:cs cat:hep-th").filters, { categories: ["cs", "hep-th"] });
    assert.deepEqual(parseSearchQuery('author:"José Núñez"').filters, { authors: ["jose nunez"] });
  });

  test("an unquoted author name runs to the next filter, phrase, excluded word or the end", () => {
    assert.deepEqual(parseSearchQuery("author:Tomas Pfister").filters, { authors: ["tomas pfister"] });
    const q = parseSearchQuery("diffusion author:T. Pfister cat:cs.CV models");
    assert.deepEqual(q.filters, { authors: ["t pfister"], categories: ["cs.CV"] });
    assert.deepEqual(q.terms, ["diffusion", "models"]);
    const phrase = parseSearchQuery('author:Tomàs Pfister "test time" -medical');
    assert.deepEqual(phrase.filters, { authors: ["tomas pfister"] });
    assert.deepEqual(phrase.phrases, [{ words: ["test", "time"] }]);
    assert.deepEqual(phrase.excluded, [{ words: ["medical"] }]);
  });

  test("a query of filters alone has no problem: the caller lists by the filters", () => {
    const q = parseSearchQuery("author:lecun");
    assert.deepEqual(q.terms, []);
    assert.equal(q.problem, null);
    assert.equal(q.text, "");
  });

  test("bad filter values are dropped with a note saying why", () => {
    const q = parseSearchQuery(
      "cat:zzz cat:cs.LG since:2024-13-45 until:tomorrow year:20x4 author:!!! author: nets",
    );
    assert.deepEqual(q.filters, { categories: ["cs.LG"] });
    assert.deepEqual(q.terms, ["nets"]);
    const notes = q.notes.join("\n");
    for (const part of [
      "cat:zzz",
      "since:2024-13-45",
      "until:tomorrow",
      "year:20x4",
      "author:!!!",
      "author:",
    ]) {
      assert.ok(notes.includes(part), `a note names ${part}: ${notes}`);
    }
    assert.equal(q.problem, null);
  });

  test("an empty date range is a problem", () => {
    assert.match(parseSearchQuery("since:2025-01-01 until:2024-01-01 nets").problem ?? "", /2025-01-01/);
  });

  test("an unbalanced quote is noted and its text searched as words", () => {
    const q = parseSearchQuery('domain "label shift');
    assert.deepEqual(q.terms, ["domain", "label", "shift"]);
    assert.deepEqual(q.phrases, []);
    assert.match(q.notes.join(" "), /unmatched quote/);
    assert.deepEqual(parseSearchQuery('a"b"c" shift').phrases, []);
    const filter = parseSearchQuery('author:"Grace Hopper');
    assert.deepEqual(filter.filters, {});
    assert.deepEqual(filter.terms, ["grace", "hopper"]);
    assert.match(filter.notes.join(" "), /unmatched quote.*author: has no value/);
  });

  test("only stop words, or nothing at all, is a problem", () => {
    assert.match(parseSearchQuery("the of and").problem ?? "", /only common words \(the, of, and\)/);
    assert.match(parseSearchQuery("").problem ?? "", /no words/);
    assert.match(parseSearchQuery("  ;;; --- ").problem ?? "", /no words/);
    const withFilter = parseSearchQuery("the cat:cs.LG");
    assert.equal(withFilter.problem, null);
    assert.match(withFilter.notes.join(" "), /Common words \(the\)/);
  });

  test("exclusions alone search nothing", () => {
    const q = parseSearchQuery("-transformer");
    assert.equal(q.excluded.length, 0);
    assert.match(q.problem ?? "", /no words/);
    assert.match(q.notes.join(" "), /Excluded/);
  });

  test("SQL, FTS and tsquery syntax is only ever text", () => {
    for (const input of [
      "'; drop table papers; --",
      '* ^ ( ) : NEAR AND OR NOT { } [ ] \\ ; -- "',
      "a & !b | c <-> d:*",
      "title:x NEAR(a b, 2) col:* ^start",
    ]) {
      const q = parseSearchQuery(input);
      for (const term of q.terms) assert.match(term, /^[\p{L}\p{N}]+$/u, input);
      for (const p of [...q.phrases, ...q.excluded])
        for (const w of p.words) assert.match(w, /^[\p{L}\p{N}]+$/u);
    }
    assert.deepEqual(parseSearchQuery("'; drop table papers; --").terms, ["drop", "table", "papers"]);
    assert.deepEqual(parseSearchQuery("NEAR(a b) AND near").terms, ["near", "b"]);
  });

  test("LaTeX, emoji, NUL and control characters", () => {
    assert.deepEqual(parseSearchQuery("$\\alpha$-synuclein \\frac{a}{b}").terms, [
      "alpha",
      "synuclein",
      "frac",
      "b",
    ]);
    assert.deepEqual(parseSearchQuery("😀 diffusion 🚀").terms, ["diffusion"]);
    assert.deepEqual(parseSearchQuery("dif\u0000fusion\u0007 model").terms, ["dif", "fusion", "model"]);
    assert.match(parseSearchQuery("😀🚀").problem ?? "", /no words/);
  });

  test("a long query is cut, with a note; so is a long list of distinct words", () => {
    const q = parseSearchQuery("attention ".repeat(1_100));
    assert.match(q.notes.join(" "), /shortened to its first 2,000 characters/);
    assert.deepEqual(q.terms, ["attention"]);
    const emoji = parseSearchQuery(`${"x".repeat(1_999)}😀 more`);
    assert.ok(!/[\ud800-\udbff]$/.test(emoji.text));
    const many = parseSearchQuery(Array.from({ length: 100 }, (_, i) => `w${i}`).join(" "));
    assert.equal(many.terms.length, 64);
    assert.match(many.notes.join(" "), /shortened to its first 64 words/);
  });

  test("its text still reads back as the query where excluded words start with digits", () => {
    // `-0` alone would read back as the word 0: the exclusion keeps its quotes (found by test/fuzz).
    for (const input of ["papers --0", 'papers -"2abc"', "papers -_2abc"]) {
      const q = parseSearchQuery(input);
      assert.equal(q.excluded.length, 1, input);
      assert.deepEqual(parseSearchQuery(q.text).excluded, q.excluded, q.text);
    }
    assert.equal(parseSearchQuery("papers --0").text, 'papers -"0"');
  });

  test("a phrase cut by the word limit leaves its searched words in the text", () => {
    const words = Array.from({ length: 63 }, (_, i) => `w${i}`).join(" ");
    const q = parseSearchQuery(`${words} "alpha beta"`);
    assert.equal(q.terms.at(-1), "alpha");
    assert.deepEqual(q.phrases, []);
    assert.deepEqual(parseSearchQuery(q.text).terms, q.terms);
  });

  test("a hyphen inside a word or alone is no exclusion", () => {
    const q = parseSearchQuery("state-of-the-art - models --");
    assert.deepEqual(q.terms, ["state", "art", "models"]);
    assert.deepEqual(q.excluded, []);
  });

  test("never throws, whatever it is given", () => {
    const inputs = [
      "\ud800",
      "\udfff tail",
      '"'.repeat(101),
      "author:".repeat(50),
      `cat:${"a".repeat(500)}`,
      "since:",
      "year:99999",
      "\u202e\u200b\ufeff",
      undefined as unknown as string,
    ];
    for (const input of inputs) {
      const q = parseSearchQuery(input);
      assert.ok(Array.isArray(q.terms) && Array.isArray(q.notes));
    }
  });
});

test("a minus before a number is text, not an exclusion (claims list ranges like E2f-1, -2, -3)", () => {
  const parsed = parseSearchQuery("Differentiated E2f-1, -2, -3 TKO cells");
  assert.deepEqual(parsed.excluded, []);
  assert.equal(parsed.problem, null);
  assert.deepEqual(parseSearchQuery("adaptation -shift").excluded.length, 1);
});
