import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HOSTILE, useTestSite } from "../helpers/web-fixtures.ts";

describe("paper page", () => {
  const site = useTestSite();

  test("shows title, linked authors, abstract, categories, links, activity and BibTeX", async () => {
    const res = await site.web.request("/papers/2405.15738");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>ConvLLaVA: Hierarchical Backbones as Visual Encoder · Paperboy<\/title>/);
    assert.match(html, /<link rel="canonical" href="http:\/\/paperboy.test\/papers\/2405.15738"/);
    assert.match(html, /<a href="\/authors\/Chunjiang%20Ge">Chunjiang Ge<\/a>/);
    assert.match(html, /<a href="\/categories\/cs.CV">cs.CV<\/a>/);
    assert.match(html, /href="https:\/\/arxiv.org\/abs\/2405.15738">arXiv</);
    assert.match(html, /href="https:\/\/arxiv.org\/pdf\/2405.15738">PDF</);
    assert.match(html, /Code · github.com\/alibaba\/conv-llava · ★ 120/);
    assert.match(html, /<span data-count[^>]*>10<\/span>/);
    // This site's thread is counted apart from the comments Hugging Face reported (linked, not mixed in).
    assert.match(
      html,
      /2 comments<\/a>: 0 here · <a href="https:\/\/huggingface.co\/papers\/2405.15738">2 on Hugging Face/,
    );
    assert.match(html, /<a href="\/day\/2024-05-27">27 May 2024<\/a>/);
    assert.match(html, /@misc\{ge2024convllava,/);
    assert.match(html, /eprint=\{2405.15738\}/);
    assert.match(html, /primaryClass=\{cs.CV\}/);
    assert.match(html, /<strong>In one line:<\/strong> A hierarchical backbone replaces ViT\./);
  });

  test("renders math in the abstract; a formula temml cannot parse stays as escaped TeX", async () => {
    const html = await (await site.web.request("/papers/2405.15738")).text();
    assert.match(html, /<math><mrow><mi>O<\/mi>/);
    assert.match(html, /<math display="block"[^>]*>/);
    assert.match(html, /<code class="tex">\$\\frac\{a\}\{b\$<\/code>/);
  });

  test("escapes markup everywhere and never trusts \\href in math", async () => {
    const html = await (await site.web.request("/papers/2405.10001")).text();
    assert.ok(!html.includes(HOSTILE));
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /href="javascript:/i);
    assert.match(html, /<code class="tex">\$\\href\{javascript:alert\(1\)\}\{click\}\$<\/code>/);
    // The <title> and meta description hold plain, escaped text.
    assert.match(html, /<title>Hostile &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    // The author link escapes the name in the URL too.
    assert.match(html, /href="\/authors\/Mallory%20%3Cscript%3E/);
  });

  test("versions and prefixes redirect to the canonical address", async () => {
    const v2 = await site.web.request("/papers/2405.30001v2");
    assert.equal(v2.status, 301);
    assert.equal(v2.headers.get("Location"), "/papers/2405.30001");
    const prefixed = await site.web.request("/papers/arXiv:2405.15738");
    assert.equal(prefixed.status, 301);
    assert.equal(prefixed.headers.get("Location"), "/papers/2405.15738");
    const trailing = await site.web.request("/papers/2405.15738/");
    assert.equal(trailing.status, 301);
    assert.equal(trailing.headers.get("Location"), "/papers/2405.15738");
  });

  test("old-style ids work, with and without a subject class or version", async () => {
    const res = await site.web.request("/papers/hep-th/9901001");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /An Old String Theory Paper/);
    const versioned = await site.web.request("/papers/hep-th/9901001v1");
    assert.equal(versioned.status, 301);
    assert.equal(versioned.headers.get("Location"), "/papers/hep-th/9901001");
    const classed = await site.web.request("/papers/hep-th.AB/9901001");
    assert.equal(classed.status, 301);
    assert.equal(classed.headers.get("Location"), "/papers/hep-th/9901001");
  });

  test("a paper never featured lists its versions and has no activity", async () => {
    const html = await (await site.web.request("/papers/2405.30001")).text();
    assert.match(html, /<a href="https:\/\/arxiv.org\/abs\/2405.30001v1">v1<\/a> \(20 May 2024\)/);
    assert.match(html, /<a href="https:\/\/arxiv.org\/abs\/2405.30001v2">v2<\/a> \(25 May 2024\)/);
    assert.match(html, /<span data-count[^>]*>0<\/span>/);
  });

  test("bad ids are a 404 that says what a paper address looks like", async () => {
    for (const path of [
      "/papers/not-an-id",
      "/papers/2405.1573",
      "/papers/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
      `/papers/${"9".repeat(5000)}`,
      "/papers/%E0%A4%A",
      "/papers/",
    ]) {
      const res = await site.web.request(path);
      assert.equal(res.status, 404, path);
      const html = await res.text();
      assert.match(html, /\/papers\/2405.15738/, path);
      assert.doesNotMatch(html, /<script>alert/, path);
      assert.match(html, /<meta name="robots" content="noindex"/);
    }
  });

  test("a valid id not in the library is a 404 pointing to arXiv and submission", async () => {
    const res = await site.web.request("/papers/2406.00001");
    assert.equal(res.status, 404);
    const html = await res.text();
    assert.match(html, /not in this library yet/);
    assert.match(html, /href="https:\/\/arxiv.org\/abs\/2406.00001"/);
    assert.match(html, /sync arxiv --ids 2406.00001/);
  });

  test("wrong methods are 405 with Allow; unknown pages 404", async () => {
    const headers = site.web.signedOutHeaders();
    const put = await site.web.request("/papers/2405.15738", { method: "PUT", headers });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("Allow"), "GET, HEAD");
    const del = await site.web.request("/", { method: "DELETE", headers });
    assert.equal(del.status, 405);
    const post = await site.web.request("/search", { method: "POST", headers });
    assert.equal(post.status, 405);
    const missing = await site.web.request("/no/such/page");
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Page not found/);
    const head = await site.web.request("/papers/2405.15738", { method: "HEAD" });
    assert.equal(head.status, 200);
  });

  test("a trailing-slash redirect never leaves the site", async () => {
    const res = await site.web.request("//evil.example/");
    assert.notEqual(res.headers.get("Location"), "//evil.example");
    assert.ok(!(res.headers.get("Location") ?? "").startsWith("//"));
  });
});
