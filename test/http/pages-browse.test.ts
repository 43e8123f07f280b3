import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_TRENDING_PARAMS } from "../../src/core/trending.ts";
import { cardIds, HOSTILE, useTestSite } from "../helpers/web-fixtures.ts";

describe("author, category and about pages", () => {
  const site = useTestSite();

  test("an author page lists the author's papers, matched without case", async () => {
    const res = await site.web.request("/authors/bob%20builder");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.deepEqual(cardIds(html).sort(), ["2405.10002", "2405.20001"]);
    assert.match(html, /<h1>Papers by bob builder<\/h1>/);
    assert.match(html, /href="\/feeds\/author\/bob%20builder.atom"/);
  });

  test("an unknown author gets a helpful empty page; a hostile name is escaped", async () => {
    const res = await site.web.request(`/authors/${encodeURIComponent(HOSTILE)}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(!html.includes(HOSTILE));
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /No papers by/);
    assert.equal((await site.web.request(`/authors/${"x".repeat(300)}`)).status, 404);
  });

  test("a category page lists primary and cross-listed papers; a bad category is a 404", async () => {
    const html = await (await site.web.request("/categories/cs.CL")).text();
    // ConvLLaVA is cross-listed in cs.CL; "Scaling Laws" is primary there.
    assert.deepEqual(cardIds(html).sort(), ["2405.10002", "2405.15738"]);
    assert.match(html, /<link rel="canonical" href="http:\/\/paperboy.test\/categories\/cs.CL"/);
    const sorted = await site.web.request("/categories/cs.CL?sort=top");
    assert.deepEqual(cardIds(await sorted.text()), ["2405.15738", "2405.10002"]);
    const bad = await site.web.request("/categories/%3Cscript%3E");
    assert.equal(bad.status, 404);
    assert.match(await bad.text(), /not an arXiv category/);
    assert.equal((await site.web.request("/categories/cs.CL?sort=best")).status, 400);
  });

  test("the about page documents the trending formula with the parameters in use", async () => {
    const html = await (await site.web.request("/about")).text();
    assert.match(html, /commentWeight × comments/);
    for (const [name, value] of Object.entries(DEFAULT_TRENDING_PARAMS)) {
      assert.match(html, new RegExp(`<code>${name}</code></td><td>${value}</td>`), name);
    }
  });

  test("pages use the layout: nav, search box, sign-in link, one stylesheet and one script", async () => {
    const html = await (await site.web.request("/about")).text();
    assert.match(html, /<a href="\/">Daily<\/a>/);
    assert.match(html, /<a href="\/trending">Trending<\/a>/);
    assert.match(html, /<a href="\/submit">Submit<\/a>/);
    assert.match(html, /<a href="\/signin">Sign in<\/a>/);
    assert.match(html, /<form class="search" method="get" action="\/search">/);
    assert.equal([...html.matchAll(/rel="stylesheet"/g)].length, 1);
    assert.equal([...html.matchAll(/<script /g)].length, 1);
    assert.match(html, /<title>About and ranking · Paperboy<\/title>/);
  });
});
