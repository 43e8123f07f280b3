import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parseCategory } from "../../src/core/category.ts";
import { parseIsoDate } from "../../src/core/dates.ts";
import {
  DEFAULT_QUERY_LIMITS,
  type ParsedSearchQuery,
  parseSearchQuery,
  type SearchFilters,
  type SearchQueryLimits,
} from "../../src/core/search-query.ts";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { authorKey } from "../../src/core/text/normalize.ts";
import { ENGLISH_STOP_WORDS } from "../../src/core/text/stopwords.ts";
import { tokenize } from "../../src/core/text/tokenize.ts";
import { type ParsedQuery, parseQuery } from "../../src/search/query/parse.ts";
import { check, edgeStrings, textOf } from "./fuzz.ts";

/** The query language's syntax, things people paste, and input meant for other query languages. */
const PIECES = [
  ...['"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", '""', '"a b"', " ", "  ", "\t", "\n"],
  ...["-", "--", " -", "- ", "-2", "-.5", "-x", '-"', "E2f-1,", ":", "::", "a:b"],
  ...["author:", "AUTHOR:", 'author:"', 'author:"Yann LeCun"', "author:O'Brien", "author:-"],
  ...["cat:", "cat:cs.LG", "category:cs.lg,stat.ML", "cat:,", "cat:xx.YY", "cat:cs", "cat:cs.LG,,"],
  ...["since:", "since:2024-01-01", "since:2024-02", "since:2024", "since:2024-02-30", "since:1899"],
  ...["until:2024-12-31", "until:2023", "until:0000-00-00", "year:", "year:2024", "year:99999"],
  ...["the", "and", "of", "a", "in", "shift", "label", "domain", "adaptation", "Shift", "SHIFT", "2024"],
  ...["OR", "AND", "NOT", "NEAR(", "*", "(", ")", "^", "~", "+", "'", "\u2019s", "\\alpha", "$x^2$"],
  ...["SELECT * FROM papers; --", "' OR 1=1 --", '{"$ne":1}', "%", "_", "\u00e9", "\u03b1", "\u00df"],
];

/** Long queries of many distinct words, phrases and exclusions: they run into the word limit. */
const manyWords = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9]{1,5}$/) },
      { weight: 1, arbitrary: fc.constantFrom('"', "-", '-"', "the", "of", "author:x", "cat:cs.LG") },
    ),
    { minLength: 50, maxLength: 150 },
  )
  .map((words) => words.join(" "));

const queries = fc.oneof(
  { weight: 6, arbitrary: textOf(PIECES, 40) },
  { weight: 2, arbitrary: manyWords },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom(...edgeStrings(PIECES)) },
);

const limitsArb: fc.Arbitrary<SearchQueryLimits> = fc.record({
  maxChars: fc.integer({ min: 1, max: 3_000 }),
  maxTerms: fc.integer({ min: 1, max: 80 }),
});

/** A word as the tokenizer gives it: tokenizing it again gives exactly it. */
function assertToken(word: string, where: string): void {
  assert.deepEqual(
    tokenize(word).map((t) => t.text),
    [word],
    `${where}: "${word}" is not a single folded token`,
  );
}

const isStopWord = (w: string) => ENGLISH_STOP_WORDS.has(w);

/** Every field of a parsed query has the type, limits and cross-field rules its documentation states. */
function assertWellFormed(q: ParsedSearchQuery, limits: SearchQueryLimits): void {
  assert.equal(typeof q.text, "string");
  assert.ok(q.terms.length <= limits.maxTerms, `${q.terms.length} terms over the limit ${limits.maxTerms}`);
  assert.equal(new Set(q.terms).size, q.terms.length, "terms repeat");
  for (const term of q.terms) {
    assertToken(term, "term");
    assert.ok(!isStopWord(term), `stop word "${term}" among the terms`);
  }
  for (const phrase of q.phrases) {
    assert.ok(phrase.words.length >= 2, "a phrase of fewer than two words");
    for (const word of phrase.words) {
      assertToken(word, "phrase word");
      if (!isStopWord(word)) assert.ok(q.terms.includes(word), `phrase word "${word}" is not searched`);
    }
    assert.ok(
      phrase.words.some((w) => !isStopWord(w)),
      "a phrase of stop words only",
    );
  }
  const phraseKeys = q.phrases.map((p) => p.words.join(" "));
  assert.equal(new Set(phraseKeys).size, phraseKeys.length, "phrases repeat");
  for (const excluded of q.excluded) {
    assert.ok(excluded.words.length >= 1, "an empty exclusion");
    for (const word of excluded.words) assertToken(word, "excluded word");
    assert.ok(
      excluded.words.some((w) => !isStopWord(w)),
      "an exclusion of stop words only",
    );
  }
  if (q.terms.length === 0) assert.deepEqual(q.excluded, [], "exclusions kept without words to search");

  assertFilters(q.filters);
  for (const note of q.notes) {
    assert.equal(typeof note, "string");
    assert.ok(note.length > 0 && note.length < 300, `note of ${note.length} characters`);
  }
  const { since, until } = q.filters;
  const empty = q.terms.length === 0 && Object.keys(q.filters).length === 0;
  const noDay = since !== undefined && until !== undefined && since > until;
  assert.equal(q.problem !== null, empty || noDay, `problem ${JSON.stringify(q.problem)}`);
}

function assertFilters(filters: SearchFilters): void {
  for (const key of Object.keys(filters)) {
    assert.ok(["authors", "categories", "since", "until"].includes(key), `unknown filter ${key}`);
  }
  if (filters.authors !== undefined) {
    assert.ok(filters.authors.length > 0, "an empty author list");
    assert.equal(new Set(filters.authors).size, filters.authors.length, "authors repeat");
    for (const a of filters.authors) assert.ok(a !== "" && authorKey(a) === a, `author "${a}" is not a key`);
  }
  if (filters.categories !== undefined) {
    assert.ok(filters.categories.length > 0, "an empty category list");
    assert.equal(new Set(filters.categories).size, filters.categories.length, "categories repeat");
    for (const c of filters.categories) assert.equal(parseCategory(c), c);
  }
  for (const date of [filters.since, filters.until]) {
    if (date !== undefined) assert.equal(parseIsoDate(date), date);
  }
}

/** Writes filters in the query language, as a page echoing them in a link would. */
function filterSyntax(filters: SearchFilters): string {
  return [
    ...(filters.authors ?? []).map((a) => `author:"${a}"`),
    ...(filters.categories ? [`cat:${filters.categories.join(",")}`] : []),
    ...(filters.since ? [`since:${filters.since}`] : []),
    ...(filters.until ? [`until:${filters.until}`] : []),
  ].join(" ");
}

const wordsOf = (q: ParsedSearchQuery) => ({ terms: q.terms, phrases: q.phrases, excluded: q.excluded });

describe("fuzz: parseSearchQuery (the search box language)", () => {
  test("never throws, and every field has its documented type and limits", () => {
    check(
      fc.property(queries, (input) => {
        assertWellFormed(parseSearchQuery(input), DEFAULT_QUERY_LIMITS);
      }),
      1_000,
    );
  });

  test("any limits are kept", () => {
    check(
      fc.property(queries, limitsArb, (input, limits) => {
        const q = parseSearchQuery(input, limits);
        assertWellFormed(q, limits);
        if (input.length > limits.maxChars) assert.ok(q.notes.some((n) => n.includes("was shortened")));
      }),
      500,
    );
  });

  test("is deterministic", () => {
    check(
      fc.property(queries, (input) => {
        assert.deepEqual(parseSearchQuery(input), parseSearchQuery(input));
      }),
      300,
    );
  });

  test("its text parses back to the same words, phrases and exclusions, without filters", () => {
    check(
      fc.property(queries, (input) => {
        const q = parseSearchQuery(input);
        // Folding can lengthen text (\ufdfa unfolds to four words): text past the limit would be cut again.
        fc.pre(q.text.length <= DEFAULT_QUERY_LIMITS.maxChars);
        const again = parseSearchQuery(q.text);
        assert.deepEqual(wordsOf(again), wordsOf(q), `text ${JSON.stringify(q.text)}`);
        assert.deepEqual(again.filters, {});
      }),
      1_000,
    );
  });

  test("its filters, written back as syntax, parse to the same filters", () => {
    check(
      fc.property(queries, (input) => {
        const q = parseSearchQuery(input);
        const echoed = `${q.text} ${filterSyntax(q.filters)}`;
        const again = parseSearchQuery(echoed, { ...DEFAULT_QUERY_LIMITS, maxChars: echoed.length });
        assert.deepEqual(again.filters, q.filters, `echoed ${JSON.stringify(echoed)}`);
        assert.deepEqual(wordsOf(again), wordsOf(q));
      }),
      1_000,
    );
  });

  test("text that is no syntax at all is only split into words", () => {
    const plain = fc.string({ unit: fc.constantFrom(..."abcxyz019 ,;!?&<>=()[]{}"), maxLength: 120 });
    check(
      fc.property(plain, (input) => {
        const q = parseSearchQuery(input);
        const words = tokenize(input).map((t) => t.text);
        const expected = [...new Set(words.filter((w) => !isStopWord(w)))];
        assert.deepEqual(q.terms, expected);
        assert.deepEqual(q.filters, {});
      }),
      500,
    );
  });
});

const analyzer = createAnalyzer();

function assertEngineQuery(q: ParsedQuery, maxTerms: number): void {
  assert.ok(q.terms.length <= maxTerms);
  assert.equal(new Set(q.terms).size, q.terms.length, "terms repeat");
  for (const term of q.terms) assert.ok(typeof term === "string" && term.length > 0, "an empty term");
  for (const phrase of q.phrases) {
    assert.equal(typeof phrase.text, "string");
    assert.ok(phrase.terms.length >= 2, "a phrase of fewer than two terms");
    assert.equal(phrase.offsets.length, phrase.terms.length);
    assert.equal(phrase.offsets[0], 0);
    for (let i = 1; i < phrase.offsets.length; i++) {
      assert.ok((phrase.offsets[i] ?? 0) > (phrase.offsets[i - 1] ?? 0), "offsets not increasing");
    }
    for (const term of phrase.terms) assert.ok(q.terms.includes(term), `phrase term "${term}" not searched`);
  }
  for (const note of q.notes) assert.equal(typeof note, "string");
  assert.equal(q.problem === null, q.terms.length > 0, `problem ${JSON.stringify(q.problem)}`);
}

describe("fuzz: parseQuery (the engine's query parser)", () => {
  test("never throws, and its terms, phrases and problem agree", () => {
    check(
      fc.property(queries, (input) => {
        assertEngineQuery(parseQuery(input, analyzer), 64);
      }),
      1_000,
    );
  });

  test("any limits are kept, and the same input parses the same way", () => {
    check(
      fc.property(queries, limitsArb, (input, { maxChars, maxTerms }) => {
        const q = parseQuery(input, analyzer, { maxChars, maxTerms });
        assertEngineQuery(q, maxTerms);
        assert.deepEqual(parseQuery(input, analyzer, { maxChars, maxTerms }), q);
      }),
      500,
    );
  });
});

/** Inputs built to make a careless lexer backtrack or rescan: 10,000 characters of one trick each. */
const PATHOLOGICAL: Record<string, string> = {
  quotes: '"'.repeat(10_000),
  "unclosed quotes": '"a '.repeat(3_334),
  "typographic quotes": "\u201c\u201d\u00ab".repeat(3_334),
  dashes: "-".repeat(10_000),
  "dash words": "-a ".repeat(3_334),
  "filters without values": "author: ".repeat(1_250),
  "quoted filters never closed": 'author:"'.repeat(1_250),
  "filters with quotes": 'author:"a" '.repeat(910),
  "category lists": `cat:${"cs.LG,".repeat(1_666)}`,
  colons: ":".repeat(10_000),
  "one long word": "a".repeat(10_000),
  "distinct words": Array.from({ length: 2_000 }, (_, i) => `w${i.toString(36)}`).join(" "),
  "500 words": "word ".repeat(500),
  "stop words": "the ".repeat(2_500),
  "control characters": "\u0000\u0001\u001f".repeat(3_334),
  "lone surrogates": "\ud800".repeat(10_000),
  "emoji at the cut": "😀".repeat(5_000),
  "ligatures that unfold": "\ufdfa".repeat(10_000),
};

describe("fuzz: pathological queries stay fast", () => {
  // Generous bounds (the parsers take about a millisecond on these): they catch a regular expression or a
  // rescan that turns quadratic, not a slow machine.
  const limits = { maxChars: 10_000, maxTerms: 64 };
  for (const [name, input] of Object.entries(PATHOLOGICAL)) {
    test(`${name} (${input.length.toLocaleString("en-US")} characters)`, () => {
      const start = performance.now();
      const q = parseSearchQuery(input, limits);
      const engine = parseQuery(input, analyzer);
      const ms = performance.now() - start;
      assertWellFormed(q, limits);
      assertEngineQuery(engine, 64);
      assert.ok(ms < 1_000, `${Math.round(ms)} ms`);
    });
  }
});
