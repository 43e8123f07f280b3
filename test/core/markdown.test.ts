import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_BLOCK_DEPTH, renderMarkdown, safeHttpUrl } from "../../src/core/markdown.ts";
import { escapeHtml } from "../../src/core/text/html.ts";

/** Tags the renderer may write; anything else in the output would be input leaking through as HTML. */
const ALLOWED_TAGS = new Set(["p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"]);

function assertOnlyOwnMarkup(html: string): void {
  for (const match of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const [, tag = "", attrs = ""] = match;
    assert.ok(ALLOWED_TAGS.has(tag), `unexpected <${tag}> in ${html.slice(0, 200)}`);
    if (tag === "a" && !match[0].startsWith("</")) {
      assert.match(attrs, /^ href="https?:\/\/[^"<>]*" rel="nofollow ugc noopener"$/);
    } else if (tag === "ol" && !match[0].startsWith("</")) {
      assert.match(attrs, /^( start="\d+")?$/);
    } else {
      assert.equal(attrs, "", `attributes on <${tag}>: ${attrs}`);
    }
  }
}

describe("renderMarkdown: the subset", () => {
  test("paragraphs, line breaks, bold, emphasis and code", () => {
    assert.equal(
      renderMarkdown("Hello **bold**, *em* and `x < y`.\nNext line.\n\nSecond paragraph."),
      "<p>Hello <strong>bold</strong>, <em>em</em> and <code>x &lt; y</code>.<br>\nNext line.</p>\n<p>Second paragraph.</p>",
    );
  });

  test("nested emphasis pairs innermost first and always nests properly", () => {
    assert.equal(renderMarkdown("***both***"), "<p><em><strong>both</strong></em></p>");
    assert.equal(renderMarkdown("*a **b** c*"), "<p><em>a <strong>b</strong> c</em></p>");
    assert.equal(renderMarkdown("**a *b* c**"), "<p><strong>a <em>b</em> c</strong></p>");
    assert.equal(renderMarkdown("**unclosed and *half"), "<p>**unclosed and *half</p>");
    assert.equal(renderMarkdown("2 * 3 * 4"), "<p>2 * 3 * 4</p>");
    assert.equal(renderMarkdown("\\*not em\\*"), "<p>*not em*</p>");
  });

  test("fenced code keeps its text verbatim and escaped", () => {
    assert.equal(
      renderMarkdown("```js\nif (a < b && c) { **x** }\n```\nafter"),
      "<pre><code>if (a &lt; b &amp;&amp; c) { **x** }</code></pre>\n<p>after</p>",
    );
    assert.equal(renderMarkdown("~~~\nunclosed <b>"), "<pre><code>unclosed &lt;b&gt;</code></pre>");
    assert.equal(renderMarkdown("``a ` b``"), "<p><code>a ` b</code></p>");
  });

  test("blockquotes and lists, nested", () => {
    assert.equal(
      renderMarkdown("> quoted\n> > deeper\n\n- one\n- two\n  - inner\n\n3. three\n4. four"),
      "<blockquote><p>quoted</p>\n<blockquote><p>deeper</p></blockquote></blockquote>\n" +
        "<ul><li>one</li><li><p>two</p>\n<ul><li>inner</li></ul></li></ul>\n" +
        '<ol start="3"><li>three</li><li>four</li></ol>',
    );
  });

  test("links: http(s) only, normalised, marked nofollow ugc noopener", () => {
    assert.equal(
      renderMarkdown("[paper](https://arxiv.org/abs/2405.15738) and https://example.org/a_(b)."),
      '<p><a href="https://arxiv.org/abs/2405.15738" rel="nofollow ugc noopener">paper</a> and ' +
        '<a href="https://example.org/a_(b)" rel="nofollow ugc noopener">https://example.org/a_(b)</a>.</p>',
    );
    assert.equal(
      renderMarkdown("[**bold** link](http://EXAMPLE.org)"),
      '<p><a href="http://example.org/" rel="nofollow ugc noopener"><strong>bold</strong> link</a></p>',
    );
  });

  test("what is outside the subset is shown as typed", () => {
    assert.equal(renderMarkdown("# not a heading"), "<p># not a heading</p>");
    assert.equal(renderMarkdown("| a | b |"), "<p>| a | b |</p>");
    assert.equal(
      renderMarkdown("![alt](https://x.org/i.png)"),
      '<p>!<a href="https://x.org/i.png" rel="nofollow ugc noopener">alt</a></p>',
    );
  });
});

describe("renderMarkdown: hostile input", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    "[x](//evil.example/path)",
    '[x](https://ok.example" onmouseover="alert(1))',
    '[x](https://ok.example/"><script>alert(1)</script>)',
    'https://ok.example/"onmouseover=alert(1)',
    "`<script>`",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "> <iframe src=https://evil.example>",
    "- <svg onload=alert(1)>",
    "**<b>**",
    "&lt;script&gt; &amp; &#x3C;",
    "[<img src=x>](https://ok.example)",
    "\u0000<script>\u0000",
    "<!-- comment --> <![CDATA[x]]>",
    "<style>body{display:none}</style>",
    "javascript:alert(1)",
  ];

  for (const input of hostile) {
    test(`no markup of its own: ${JSON.stringify(input).slice(0, 50)}`, () => {
      const html = renderMarkdown(input);
      assertOnlyOwnMarkup(html);
      assert.doesNotMatch(html, /href="(?!https?:\/\/)/i);
      assert.doesNotMatch(html, /<(script|img|iframe|svg|style)/i);
    });
  }

  test("non-http schemes never become links; the text stays visible", () => {
    for (const scheme of ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://x.org/"]) {
      const html = renderMarkdown(`[click](${scheme})`);
      assert.doesNotMatch(html, /<a /);
      assert.match(html, /\[click\]/);
    }
    assert.equal(safeHttpUrl("javascript:alert(1)"), null);
    assert.equal(safeHttpUrl("https://ok.example/a b"), "https://ok.example/a%20b");
  });

  test("quotes in URLs cannot leave the attribute", () => {
    const html = renderMarkdown('https://ok.example/?q="x"><b>');
    assertOnlyOwnMarkup(html);
    // A bare URL ends at the quote; the rest is text.
    assert.equal(
      html,
      '<p><a href="https://ok.example/?q=" rel="nofollow ugc noopener">https://ok.example/?q=</a>&quot;x&quot;&gt;&lt;b&gt;</p>',
    );
  });

  test("unicode passes through; control characters are replaced", () => {
    assert.equal(
      renderMarkdown("Größe 数学 😀 𝒳 \u202Eevil\u0000end"),
      "<p>Größe 数学 😀 𝒳 \u202Eevil\ufffdend</p>",
    );
    assert.equal(renderMarkdown("**日本語**"), "<p><strong>日本語</strong></p>");
  });

  test("nesting deeper than the limit is shown as text", () => {
    const html = renderMarkdown(`${">".repeat(MAX_BLOCK_DEPTH + 5)} deep`);
    assert.equal(html.split("<blockquote>").length - 1, MAX_BLOCK_DEPTH);
    assert.match(html, /&gt;&gt;&gt;&gt;&gt; deep/);
  });

  test("100 KB inputs of every troublesome shape render, escaped and complete", () => {
    const size = 100_000;
    const shapes = [
      "*".repeat(size),
      "[".repeat(size),
      "](".repeat(size / 2),
      "[a](".repeat(size / 4),
      "`".repeat(size),
      "` ``".repeat(size / 4),
      ">".repeat(size),
      "- ".repeat(size / 2),
      "1. ".repeat(size / 3),
      "> - ".repeat(size / 4),
      "a\n".repeat(size / 2),
      "*a **b [c] `d` ".repeat(size / 15),
      "https://x.org/".repeat(size / 14),
      "<script>".repeat(size / 8),
      "\\".repeat(size),
      "💩".repeat(size / 2),
    ];
    for (const input of shapes) {
      const html = renderMarkdown(input);
      assertOnlyOwnMarkup(html);
      assert.doesNotMatch(html, /<script/);
      // Nothing typed is dropped: every letter of the input is still in the text.
      const letters = (s: string) =>
        s
          .replace(/<[^>]*>/g, "")
          .replace(/&[a-z]+;|&#\d+;/g, "")
          .replace(/[^a-z💩]/gu, "").length;
      assert.ok(
        letters(html) >= input.replace(/[^a-z💩]/gu, "").length - 200,
        `letters lost for ${input.slice(0, 10)}`,
      );
    }
  });
});

describe("escapeHtml", () => {
  test("escapes the five characters that matter", () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});
