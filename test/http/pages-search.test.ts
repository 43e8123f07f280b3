import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { buildTestEngine, searchPapers } from "../helpers/search-papers.ts";
import { cardIds, useTestSite } from "../helpers/web-fixtures.ts";

describe("search page", () => {
  const site = useTestSite();

  test("without a query it shows the form and search tips", async () => {
    const res = await site.web.request("/search");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Search tips/);
    assert.match(html, /author:&quot;Yann LeCun&quot;/);
    assert.deepEqual(cardIds(html), []);
  });

  test("finds papers, marks the matched words and keeps the query in the form", async () => {
    const html = await (await site.web.request("/search?q=scaling")).text();
    assert.deepEqual(cardIds(html), ["2405.10002"]);
    assert.match(html, /<mark>Scaling<\/mark>/);
    assert.match(html, /<input type="search" name="q" value="scaling"/);
    assert.match(
      html,
      /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/feeds\/search.atom\?q=scaling"/,
    );
    assert.match(html, /1 paper matches ·/);
  });

  test("filters from the form narrow the results", async () => {
    const all = cardIds(await (await site.web.request("/search?q=alice")).text());
    assert.ok(all.length >= 1);
    const some = cardIds(await (await site.web.request("/search?author=Bob%20Builder&sort=date")).text());
    assert.deepEqual(some.sort(), ["2405.10002", "2405.20001"]);
    const inCat = cardIds(await (await site.web.request("/search?cat=cs.CV&sort=date")).text());
    assert.ok(inCat.includes("2405.20001"));
    assert.ok(!inCat.includes("2405.10002"));
  });

  test("no results: says so and suggests what to change", async () => {
    const html = await (await site.web.request("/search?q=zzyzxqqq&cat=cs.LG")).text();
    assert.match(html, /No papers match/);
    assert.match(html, /Search without the filters/);
  });

  test("hostile and over-long queries are escaped or refused clearly", async () => {
    const hostile = await site.web.request(
      `/search?q=${encodeURIComponent('<script>alert(1)</script> "unbalanced')}`,
    );
    assert.equal(hostile.status, 200);
    const html = await hostile.text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);

    const badCat = await site.web.request("/search?q=x&cat=%3Cb%3E");
    assert.equal(badCat.status, 400);
    assert.match(await badCat.text(), /not an arXiv category: &quot;&lt;b&gt;&quot;/);

    assert.equal((await site.web.request("/search?q=x&since=2024-02-31")).status, 400);
    assert.equal((await site.web.request("/search?q=x&mode=magic")).status, 400);
    assert.equal((await site.web.request("/search?q=x&page=-1")).status, 400);
  });

  test("a page past the results says there is no such page", async () => {
    const html = await (await site.web.request("/search?q=scaling&page=7")).text();
    assert.match(html, /There is no page 7 of results/);
  });
});

describe("search page with the search engine built", () => {
  const site = useTestSite("sqlite", { seed: false });
  before(async () => {
    await site.store.ingest({ papers: searchPapers() });
    await buildTestEngine(site.store, site.web.deps.config.dataDir);
  });

  test("a query that finds nothing shows its suggestion's papers, says so, and pages on with the suggestion", async () => {
    const html = await (await site.web.request("/search?q=protien+foldng&mode=keyword")).text();
    assert.deepEqual(cardIds(html).slice(0, 3), ["2401.00015", "2401.00014", "2401.00013"]);
    assert.equal(cardIds(html).length, 6);
    assert.match(
      html,
      /No papers match “protien foldng”\. Showing results for “<a href="\/search\?q=protein\+folding&amp;mode=keyword">protein folding<\/a>”\./,
    );
    assert.match(html, /<h1>Results for “protein folding”<\/h1>/);
    assert.equal(
      html.match(/name="q" value="protein folding"/g)?.length,
      1,
      "the form's box (the search page has no second one in the header)",
    );
    assert.match(html, /<mark>Folding<\/mark> <mark>proteins<\/mark> from sequence alone/);
    assert.doesNotMatch(html, /Did you mean/);
    assert.doesNotMatch(html, /No papers match<\/h2>/);

    // Hybrid finds all 24 papers for the suggestion: page 2 is the suggestion's, not the typo's.
    const hybrid = await (await site.web.request("/search?q=Protien+strucure")).text();
    assert.match(
      hybrid,
      /Showing results for “<a href="\/search\?q=Protein\+structure">Protein structure<\/a>”/,
    );
    assert.match(hybrid, /<a href="\/search\?q=Protein\+structure&amp;page=2" rel="next">/);
  });

  test("a misspelt query that finds papers shows its suggestion's, with a link to search as typed", async () => {
    const html = await (await site.web.request("/search?q=protien+strucure+prediction&mode=keyword")).text();
    assert.match(
      html,
      /Showing results for “<a href="\/search\?q=protein\+structure\+prediction&amp;mode=keyword">protein structure prediction<\/a>”\. Search instead for “<a href="\/search\?q=protien\+strucure\+prediction&amp;mode=keyword&amp;as_typed=1">protien strucure prediction<\/a>”\./,
    );
    assert.doesNotMatch(html, /Did you mean/);
    assert.match(html, /<h1>Results for “protein structure prediction”<\/h1>/);
    assert.equal(cardIds(html)[0], "2401.00013", "Protein structure prediction with deep networks");

    const typed = await (
      await site.web.request("/search?q=protien+strucure+prediction&mode=keyword&as_typed=1")
    ).text();
    assert.match(typed, /<h1>Results for “protien strucure prediction”<\/h1>/);
    assert.match(
      typed,
      /Did you mean <a href="\/search\?q=protein\+structure\+prediction&amp;mode=keyword">protein structure prediction<\/a>\?/,
      "the suggestion link searches normally again",
    );
    assert.doesNotMatch(typed, /Showing results for/);
    const same = await (await site.web.request("/search?q=prediction&mode=keyword")).text();
    assert.deepEqual(cardIds(typed), cardIds(same), "the typed words no paper uses add nothing");
    assert.match(
      typed,
      /<input type="hidden" name="as_typed" value="1"\/>/,
      "kept when the form is sent again",
    );
    const alsoTrue = await site.web.request(
      "/search?q=protien+strucure+prediction&mode=keyword&as_typed=true",
    );
    assert.doesNotMatch(await alsoTrue.text(), /Showing results for/, "as_typed=true means the same");
    const bad = await site.web.request("/search?q=protien&as_typed=yes");
    assert.equal(bad.status, 400);
    assert.match(typed, /<input type="search" name="q" value="protien strucure prediction"/);
  });

  test("the typed query in the correction message is text, never markup", async () => {
    const html = await (await site.web.request("/search?q=%3Cscript%3Ealert(1)%3C/script%3E+protien")).text();
    assert.match(
      html,
      /Showing results for “<a [^>]*>&lt;script&gt;alert\(1\)&lt;\/script&gt; protein<\/a>”/,
    );
    assert.match(html, /Search instead for “<a [^>]*>&lt;script&gt;alert\(1\)&lt;\/script&gt; protien<\/a>”/);
    assert.doesNotMatch(html, /<script>alert/);
  });
});

describe("search page: pathological queries and sorted searches, with the engine built", () => {
  const site = useTestSite("sqlite", { seed: false });
  before(async () => {
    await site.store.ingest({ papers: searchPapers() });
    await buildTestEngine(site.store, site.web.deps.config.dataDir);
  });

  const PATHOLOGICAL: Record<string, [string, RegExp]> = {
    "10,000 characters": [
      "merging models ".repeat(700).slice(0, 10_000),
      /shortened to its first 2,000 characters/,
    ],
    "10,000 characters of one word": ["x".repeat(10_000), /shortened to its first 2,000 characters/],
    "only operators": ["AND OR NOT ( ) * ^ : - + ~ || && { } [ ] \\", /only common words|no words to search/],
    "unbalanced quotes": ['"merging "models "of weights', /An unmatched quote was ignored/],
    "500 words": [
      Array.from({ length: 500 }, (_, i) => `w${i.toString(36)}x`).join(" "),
      /shortened to its first 64 words/,
    ],
  };

  for (const [name, [q, note]] of Object.entries(PATHOLOGICAL)) {
    test(`${name}: a page (200) with a note saying what was searched, in every mode and sort`, async () => {
      for (const extra of ["", "&mode=keyword", "&mode=vector", "&sort=date", "&sort=upvotes&mode=hybrid"]) {
        const res = await site.web.request(`/search?q=${encodeURIComponent(q)}${extra}`);
        assert.equal(res.status, 200, `${name}${extra}`);
        assert.match(await res.text(), note, `${name}${extra}`);
      }
    });
  }

  test("a query that is an author's name offers their page; author:First Last needs no quotes", async () => {
    const html = await (await site.web.request("/search?q=grace+hopper")).text();
    assert.match(html, /<a href="\/authors\/Grace%20Hopper">Papers by Grace Hopper →<\/a>/);
    assert.match(html, /\(6 papers\)/);
    const topic = await (await site.web.request("/search?q=merging+models")).text();
    assert.doesNotMatch(topic, /Papers by/);
    const filtered = await (await site.web.request("/search?q=grace+hopper&cat=cs.CL")).text();
    assert.doesNotMatch(filtered, /Papers by/, "with a filter, the reader is after something narrower");
    const unquoted = cardIds(await (await site.web.request("/search?q=author:G.+Hopper+cat:cs.CL")).text());
    assert.equal(unquoted.length, 6);
    assert.deepEqual(cardIds(await (await site.web.request("/search?q=author:Ada+Hopper")).text()), []);
  });

  test("sorted by date, the count says which papers answer and the reader's mode is kept", async () => {
    const words = await (await site.web.request("/search?q=merging+models&sort=date&mode=keyword")).text();
    assert.match(words, /\d+ papers? with all the words, newest first/);
    assert.match(words, /Words only/);
    const hybrid = await (await site.web.request("/search?q=merging+models&sort=upvotes")).text();
    assert.match(hybrid, /with all the words or closest in meaning, most upvoted first/);
    assert.match(hybrid, /Words and meaning/);
    assert.match(hybrid, /<option value="upvotes" selected/);
    const about = await (await site.web.request("/about")).text();
    assert.match(about, /Sorted by date or by upvotes, a search lists the papers that answer it/);
  });
});
