import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { MAX_BLOCK_DEPTH, renderMarkdown, safeHttpUrl } from "../../src/core/markdown.ts";
import { escapeHtml } from "../../src/core/text/html.ts";
import { MAX_COMMENT_LENGTH } from "../../src/store/community/types.ts";
import { check, edgeStrings, textOf } from "./fuzz.ts";

/** Markdown syntax of the subset and beyond it, mixed with HTML and script payloads and URL tricks. */
const MARKDOWN = [
  ...["*", "**", "***", "_", "__", "`", "``", "```", "~~~", "```js", "\\", "\\*", "\\`", "\\\\", "\\<"],
  ...["\n", "\n\n", "\r\n", "\r", "\t", "> ", ">", "> > ", "- ", "* ", "+ ", "1. ", "2) ", "  ", "    "],
  ...["[", "]", "(", ")", "[x](", "](", "[x]", "[[x]]", "[x](https://example.org)", "[*a*](http://a.b/c)"],
  ...["https://example.org/a_(b).", "http://", "HTTPS://X.Y/Z", "https://a.b/c?d=e&f=g", "www.example.org"],
  ...["<", ">", "&", "&amp;", "&lt;", "&#60;", "&#x3C;", "&#0;", "&bogus;", '"', "'", "=", "$", "$$"],
  ...["$x^2$", "\\(", "\\[", "{{", "}}", "<!--", "-->", "<![CDATA[", "]]>", "</p>", "<p>", "<br>", "<li>"],
  ...["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<iframe>"],
  ...['<a href="javascript:alert(1)">x</a>', '" onclick="alert(1)', "' onclick='alert(1)", "`<b>`"],
  ...["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:", "java&#115;cript:", "&#106;avascript:"],
  ...["data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "[x](javascript:alert(1))"],
  ...["[x](JAVASCRIPT:alert(1))", "[x]( javascript:alert(1))", "[x](java&#x73;cript:alert(1))"],
  ...["[x](data:text/html,<script>)", "[x](vbscript:x)", "[x](//evil.example)", "[x](https:evil.example)"],
  ...['[x](https://a.b/"onmouseover="alert(1))', "[x](https://a.b/'onmouseover='alert(1))"],
  ...["[x](https://javascript:alert(1))", "[x](http://a.b/%22%3E%3Cscript%3E)", "[x](http://[::1]/)"],
  ...["[x](http://a.b/\u0000)", "[x](https://xn--80ak6aa92e.com)", "[x](https://a.b/<)", "[x](http://a b)"],
];

/** Lines with block prefixes (quotes, bullets, numbers, indentation) in front of inline soup. */
const documents = fc
  .array(
    fc.tuple(
      fc.array(fc.constantFrom("> ", ">", "- ", "* ", "+ ", "1. ", "9) ", "  ", "    ", "```", "~~~"), {
        maxLength: 4,
      }),
      textOf(MARKDOWN, 6),
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.map(([prefixes, text]) => prefixes.join("") + text).join("\n"));

const inputs = fc.oneof(
  { weight: 4, arbitrary: textOf(MARKDOWN, 30) },
  { weight: 4, arbitrary: documents },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.constantFrom(...edgeStrings(MARKDOWN)) },
);

/** Tags the renderer writes, and which of them are blocks (never inside a paragraph or inline tag). */
const INLINE = new Set(["strong", "em", "code", "a", "br"]);
const BLOCK = new Set(["p", "pre", "blockquote", "ul", "ol", "li"]);
const NESTING = new Set(["blockquote", "ul", "ol"]);
const ENTITY = /&(?:amp|lt|gt|quot|#39);/y;
const TAG = /<(\/?)([a-z]+)((?: [a-z]+="[^"<>]*")*)>/y;
const ATTRIBUTE = / ([a-z]+)="([^"]*)"/g;

const decodeEntities = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"' })[e] ?? "'",
  );

/** The href of a link, decoded: an absolute http(s) URL in the form the URL parser writes it. */
function assertSafeHref(href: string): void {
  const url = decodeEntities(href);
  assert.match(url, /^https?:\/\/[^\s]+$/, `href ${href}`);
  assert.equal(new URL(url).href, url, `href ${href} is not normalised`);
  // No scheme a browser would run, however it is spelt: the decoded value starts with http(s)://, so none is.
  assert.doesNotMatch(url.replace(/[\s\p{Cc}]/gu, ""), /^(?:javascript|data|vbscript):/i);
}

function assertAttributes(tag: string, attributes: string): void {
  const found = [...attributes.matchAll(ATTRIBUTE)].map(([, name = "", value = ""]) => ({ name, value }));
  if (tag === "a") {
    assert.deepEqual(
      found.map((a) => a.name),
      ["href", "rel"],
      `<a${attributes}>`,
    );
    assertSafeHref(found[0]?.value ?? "");
    assert.equal(found[1]?.value, "nofollow ugc noopener");
  } else if (tag === "ol") {
    assert.ok(found.length === 0 || (found.length === 1 && /^start="\d{1,9}"$/.test(attributes.trim())));
  } else {
    assert.equal(attributes, "", `attributes on <${tag}>`);
  }
  for (const { value } of found) assertEscapedText(value, `attribute of <${tag}>`);
}

/** Text between tags: no markup characters, and `&` only as the five entities escapeHtml writes. */
function assertEscapedText(text: string, where: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    assert.ok(c !== "<" && c !== ">" && c !== '"' && c !== "'", `raw ${c} in ${where}: ${text.slice(0, 80)}`);
    if (c === "&") {
      ENTITY.lastIndex = i;
      assert.ok(ENTITY.test(text), `bare & in ${where}: ${text.slice(i, i + 20)}`);
    }
  }
}

/**
 * The output is the renderer's own markup and escaped text, nothing else: every `<` opens one of its tags with
 * only the attributes it writes, tags balance and nest as HTML requires (so a browser builds the tree the
 * renderer meant), links do not nest, and blocks nest no deeper than MAX_BLOCK_DEPTH.
 */
function assertOwnMarkup(html: string): void {
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    const text = html.slice(i, lt === -1 ? html.length : lt);
    assertEscapedText(text, `text in <${stack.at(-1) ?? "root"}>`);
    const parent = stack.at(-1);
    if (text.trim() !== "") assert.ok(parent !== "ul" && parent !== "ol", "text directly in a list");
    if (lt === -1) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    assert.ok(m, `not a tag of the renderer at ${lt}: ${html.slice(lt, lt + 60)}`);
    const [whole, slash, tag = "", attributes = ""] = m;
    assert.ok(INLINE.has(tag) || BLOCK.has(tag), `<${tag}> is not a tag the renderer writes`);
    if (slash) {
      assert.equal(attributes, "");
      assert.equal(stack.pop(), tag, `</${tag}> closes something else`);
    } else {
      assertAttributes(tag, attributes);
      if (parent === "ul" || parent === "ol") assert.equal(tag, "li", `<${tag}> directly in a list`);
      if (tag === "li") assert.ok(parent === "ul" || parent === "ol", "<li> outside a list");
      if (BLOCK.has(tag)) {
        for (const open of stack) assert.ok(!INLINE.has(open) && open !== "p", `<${tag}> inside <${open}>`);
      }
      if (tag === "a") assert.ok(!stack.includes("a"), "a link inside a link");
      if (tag !== "br") stack.push(tag);
      assert.ok(stack.filter((t) => NESTING.has(t)).length <= MAX_BLOCK_DEPTH, "blocks nested too deep");
    }
    i = lt + whole.length;
  }
  assert.deepEqual(stack, [], "unclosed tags");
}

const count = (s: string, part: string) => s.split(part).length - 1;

describe("fuzz: renderMarkdown (comments)", () => {
  test("never throws, and writes only its own tags, attributes and escaped text", () => {
    check(
      fc.property(inputs, (markdown) => {
        assertOwnMarkup(renderMarkdown(markdown));
      }),
      1_000,
    );
  });

  test("every < typed arrives as &lt; (only a code fence's info string is dropped)", () => {
    check(
      fc.property(inputs, (markdown) => {
        const html = renderMarkdown(markdown);
        // A fence may open after quote and list markers anywhere; its info string (```lang) is not shown.
        if (/```|~~~/.test(markdown)) {
          assert.ok(count(html, "&lt;") <= count(markdown, "<"));
        } else {
          assert.equal(count(html, "&lt;"), count(markdown, "<"));
        }
      }),
      800,
    );
  });

  test("is deterministic, and reads \\r\\n, \\r and tabs as \\n and four spaces", () => {
    check(
      fc.property(inputs, (markdown) => {
        const html = renderMarkdown(markdown);
        assert.equal(renderMarkdown(markdown), html);
        const unix = markdown.replace(/\r\n?/g, "\n").replace(/\t/g, "    ");
        assert.equal(renderMarkdown(unix), html);
        assert.equal(renderMarkdown(unix.replace(/\n/g, "\r\n")), html);
      }),
      500,
    );
  });

  test("rendered output, read as Markdown in turn, is still only own markup", () => {
    check(
      fc.property(inputs, (markdown) => {
        assertOwnMarkup(renderMarkdown(renderMarkdown(markdown)));
      }),
      300,
    );
  });

  test("a line with every ASCII punctuation backslash-escaped renders as its text, escaped", () => {
    // Any printable text without control characters, on one line.
    const line = fc
      .string({
        unit: fc.oneof(
          fc.constantFrom(..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ hH1"),
          fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
        ),
      })
      .map((s) => s.replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ""));
    check(
      fc.property(line, (text) => {
        fc.pre(text.trim() !== "");
        const escaped = text.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
        assert.equal(renderMarkdown(escaped), `<p>${escapeHtml(text.trim())}</p>`);
      }),
      800,
    );
  });

  test("text without Markdown syntax renders as escaped paragraphs", () => {
    const plain = fc.string({ unit: fc.constantFrom(..."abcXYZ <&\"'=/;:\n"), maxLength: 80 });
    check(
      fc.property(plain, (text) => {
        // Runs of non-blank lines are paragraphs, their lines trimmed and joined by line breaks.
        const paragraphs: string[][] = [[]];
        for (const line of text.split("\n")) {
          if (line.trim() === "") paragraphs.push([]);
          else paragraphs.at(-1)?.push(escapeHtml(line.trim()));
        }
        const expected = paragraphs
          .filter((lines) => lines.length > 0)
          .map((lines) => `<p>${lines.join("<br>\n")}</p>`)
          .join("\n");
        assert.equal(renderMarkdown(text), expected);
      }),
      500,
    );
  });
});

describe("fuzz: safeHttpUrl and escapeHtml", () => {
  const urls = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    textOf([
      "http://",
      "https://",
      "HTTP://",
      "javascript:",
      "data:",
      "//",
      "@",
      ":",
      "%",
      "#",
      "?",
      "[",
      "]",
    ]),
  );

  test("safeHttpUrl keeps http(s) only and is idempotent", () => {
    check(
      fc.property(urls, (raw) => {
        const safe = safeHttpUrl(raw);
        if (safe === null) return;
        assert.match(safe, /^https?:\/\//);
        assert.equal(safeHttpUrl(safe), safe);
      }),
      800,
    );
  });

  test("escapeHtml leaves no markup character and reverses exactly", () => {
    check(
      fc.property(textOf(MARKDOWN, 20), (text) => {
        const escaped = escapeHtml(text);
        assertEscapedText(escaped, "escaped text");
        assert.equal(decodeEntities(escaped), text);
      }),
      500,
    );
  });
});

/**
 * Hostile comments twice the longest a comment may be (MAX_COMMENT_LENGTH; the comment form echoes that much
 * back): shapes that make a careless renderer rescan. test/core/markdown.test.ts renders 100 KB ones.
 */
const SIZE = 2 * MAX_COMMENT_LENGTH;
const fill = (unit: string) => unit.repeat(Math.floor(SIZE / unit.length));
const HOSTILE: Record<string, string> = {
  "open brackets": fill("["),
  "link starts": fill("[a]("),
  "link text never closed": fill("[a](http://x.y/"),
  "nested brackets": fill("[[[[]"),
  stars: fill("*"),
  "alternating stars": fill("*a"),
  "star runs": fill("**a* "),
  "emphasis that never closes": fill("*a **b "),
  "backtick runs of every length": Array.from({ length: 190 }, (_, i) => `${"`".repeat(i + 1)}a`).join(""),
  backslashes: fill("\\"),
  "bare URL starts": fill("http://"),
  "URL with parentheses": `http://x.y/${fill("(")}`,
  "h after space": fill(" h"),
  "quote markers": fill("> "),
  "nested bullets": Array.from({ length: SIZE / 25 }, (_, i) => `${" ".repeat(i % 40)}- x`).join("\n"),
  "quote lines": fill("> a\n"),
  "list items": fill("- a\n"),
  "alternating list kinds": fill("- a\n1. b\n* c\n"),
  fences: fill("```\n"),
  "angle brackets": fill("<"),
  "entities and tags": fill("<b>&amp;"),
  "blank lines": fill("\n"),
};

describe("fuzz: hostile comments render in linear time", () => {
  // Generous bounds (each takes a few milliseconds): they catch quadratic work, not a slow machine.
  for (const [name, input] of Object.entries(HOSTILE)) {
    test(`${name} (${input.length.toLocaleString("en-US")} characters)`, () => {
      const start = performance.now();
      const html = renderMarkdown(input);
      const ms = performance.now() - start;
      assertOwnMarkup(html);
      assert.ok(ms < 1_000, `${Math.round(ms)} ms`);
    });
  }
});
