import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Paper } from "../../src/core/index.ts";
import { bibtexFor, citationKey } from "../../src/http/views/bibtex.ts";
import { formatCount, safeHref, shortAuthors, truncate } from "../../src/http/views/format.ts";
import { splitTex, texToHtml, texToPlain } from "../../src/http/views/math.ts";
import { id, ts } from "../helpers/factories.ts";

describe("LaTeX in titles and abstracts", () => {
  test("splits prose from $inline$, $$display$$, \\(...\\) and \\[...\\]", () => {
    const parts = splitTex("a $x$ b $$y$$ c \\(z\\) d \\[w\\] e");
    assert.deepEqual(
      parts.map((p) => [p.kind, p.value, p.display]),
      [
        ["text", "a ", false],
        ["math", "x", false],
        ["text", " b ", false],
        ["math", "y", true],
        ["text", " c ", false],
        ["math", "z", false],
        ["text", " d ", false],
        ["math", "w", true],
        ["text", " e", false],
      ],
    );
  });

  test("an escaped dollar, a lone dollar and an empty pair stay prose", () => {
    assert.deepEqual(
      splitTex("costs \\$5, a lone $3").map((p) => p.kind),
      ["text"],
    );
    assert.deepEqual(
      splitTex("an empty $ $ pair").map((p) => p.kind),
      ["text"],
    );
    assert.equal(texToPlain("costs \\$5, a lone $3"), "costs $5, a lone $3");
  });

  test("renders MathML, escapes prose, and shows TeX that does not parse as escaped code", () => {
    assert.match(texToHtml("$x^2$"), /^<math><msup><mi>x<\/mi>/);
    assert.equal(texToHtml("<b>&</b>"), "&lt;b&gt;&amp;&lt;/b&gt;");
    assert.equal(texToHtml("$\\frac{a}{b$"), '<code class="tex">$\\frac{a}{b$</code>');
  });

  test("no trusted commands: \\href, \\url, \\includegraphics and \\style become escaped TeX", () => {
    for (const tex of [
      "$\\href{javascript:alert(1)}{x}$",
      "$\\url{javascript:alert(1)}$",
      "$\\includegraphics{http://evil.example/x.png}$",
      "$\\style{background:url(x)}{a}$",
      "$\\htmlClass{x}{y}$",
    ]) {
      const html = texToHtml(tex);
      assert.match(html, /^<code class="tex">/, tex);
      assert.doesNotMatch(html, /href=|src=|<img|style=/, tex);
    }
  });

  test("markup inside \\text{} is escaped by temml; macro bombs are stopped", () => {
    assert.doesNotMatch(texToHtml("$\\text{<script>alert(1)</script>}$"), /<script>/);
    assert.match(texToHtml("$\\def\\a{\\a\\a}\\a$"), /^<code class="tex">/);
  });

  test("work per text is bounded: long formulas and formulas past the cap are shown as TeX", () => {
    assert.match(texToHtml(`$${"x+".repeat(600)}x$`), /^<code class="tex">/);
    const many = texToHtml(Array.from({ length: 70 }, (_, i) => `$x_{${i}}$`).join(" "));
    assert.equal([...many.matchAll(/<math>/g)].length, 60);
    assert.equal([...many.matchAll(/<code class="tex">/g)].length, 10);
  });
});

describe("BibTeX", () => {
  const paper = {
    id: id("2405.15738"),
    title: "Ünïcode {braces} } and {unclosed",
    authors: ["José Núñez", "A. B. Cee"],
    categories: ["cs.CV"],
    versions: [{ version: 1, date: ts("2024-05-24T00:00:00Z") }],
    publishedAt: ts("2024-05-24T00:00:00Z"),
    doi: null,
  } as unknown as Paper;

  test("key from the first author's family name, the year and the first real title word", () => {
    assert.equal(citationKey(paper), "nunez2024unicode");
  });

  test("fields keep balanced braces only, so the entry always parses", () => {
    const entry = bibtexFor(paper);
    assert.match(entry, /title=\{Ünïcode \{braces\} {2}and unclosed\}/);
    assert.match(entry, /author=\{José Núñez and A. B. Cee\}/);
    let depth = 0;
    for (const ch of entry) {
      if (ch === "{") depth++;
      if (ch === "}") depth--;
      assert.ok(depth >= 0);
    }
    assert.equal(depth, 0);
  });
});

describe("formatters", () => {
  test("authors are shortened past four", () => {
    assert.equal(shortAuthors(["A", "B", "C", "D"]), "A, B, C, D");
    assert.equal(shortAuthors(["A", "B", "C", "D", "E"]), "A, B, C +2 more");
    assert.equal(shortAuthors([]), "Unknown authors");
  });

  test("counts, truncation and links", () => {
    assert.deepEqual([950, 1234, 25_000, 2_500_000].map(formatCount), ["950", "1.2k", "25k", "2.5M"]);
    assert.equal(truncate("one two three four", 16), "one two three…");
    assert.equal(safeHref("javascript:alert(1)"), null);
    assert.equal(safeHref("data:text/html,x"), null);
    assert.equal(safeHref("https://github.com/a/b"), "https://github.com/a/b");
    assert.equal(safeHref("not a url"), null);
  });
});
