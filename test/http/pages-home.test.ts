import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_TRENDING_PARAMS, trendingScore } from "../../src/core/trending.ts";
import { cardIds, HOSTILE, useTestSite } from "../helpers/web-fixtures.ts";

describe("home page on an empty store", () => {
  const site = useTestSite("sqlite", { seed: false });

  test("explains how to import or sync, with commands that exist", async () => {
    const res = await site.web.request("/");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("Content-Type") ?? "", /text\/html/);
    const html = await res.text();
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /No papers yet/);
    assert.match(html, /npm run paperboy -- import /);
    assert.match(html, /npm run paperboy -- sync hf --from \d{4}-\d{2}-\d{2} --to \d{4}-\d{2}-\d{2}/);
    assert.match(html, /npm run paperboy -- worker/);
  });

  test("trending and a day page say there is nothing yet instead of failing", async () => {
    const trending = await site.web.request("/trending");
    assert.equal(trending.status, 200);
    assert.match(await trending.text(), /Nothing has been featured/);
    const dayPage = await site.web.request("/day/2024-05-27");
    assert.equal(dayPage.status, 200);
    assert.match(await dayPage.text(), /No papers were featured on 27 May 2024/);
  });
});

describe("daily, week and month pages", () => {
  const site = useTestSite();

  test("the home page shows the latest day with papers", async () => {
    const html = await (await site.web.request("/")).text();
    assert.match(html, /<title>Daily papers, 28 May 2024 · Paperboy<\/title>/);
    assert.deepEqual(cardIds(html), ["2405.20001"]);
    assert.match(html, /<link rel="canonical" href="http:\/\/paperboy.test\/"/);
    assert.match(html, /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/feeds\/daily.atom"/);
    assert.match(html, /<meta name="description" content="[^"]+"/);
    // Previous day link; no next day.
    assert.match(html, /href="\/day\/2024-05-27" rel="prev"/);
    assert.doesNotMatch(html, /rel="next"/);
  });

  test("a day ranks its papers by upvotes, with card details", async () => {
    const html = await (await site.web.request("/day/2024-05-27")).text();
    assert.deepEqual(cardIds(html), ["2405.10001", "2405.15738", "2405.10002"]);
    assert.match(html, /<b>30<\/b>upvotes/);
    assert.match(html, /2 comments/);
    assert.match(html, /href="https:\/\/github.com\/alibaba\/conv-llava"[^>]*>Code · ★ 120/);
    assert.match(html, /A hierarchical backbone replaces ViT\./);
    assert.match(html, /Submitted by AK/);
    // Six authors are shortened.
    assert.match(
      html,
      /<a href="\/authors\/Alice%20Example">Alice Example<\/a>, <a href="\/authors\/Bob%20Builder">Bob Builder<\/a>, <a href="\/authors\/Carol%20Chen">Carol Chen<\/a> \+3 more/,
    );
    assert.match(html, /href="\/day\/2024-05-24" rel="prev"/);
    assert.match(html, /href="\/day\/2024-05-28" rel="next"/);
  });

  test("sorts: newest and trending reorder, top is the default", async () => {
    const newest = cardIds(await (await site.web.request("/day/2024-05-27?sort=newest")).text());
    assert.equal(newest.length, 3);
    const top = cardIds(await (await site.web.request("/day/2024-05-27?sort=top")).text());
    assert.deepEqual(top, ["2405.10001", "2405.15738", "2405.10002"]);
    const trending = await site.web.request("/day/2024-05-27?sort=trending");
    assert.equal(trending.status, 200);
    assert.equal(cardIds(await trending.text()).length, 3);
  });

  test("week and month views gather the days", async () => {
    const week = await (await site.web.request("/week/2024-W22")).text();
    assert.match(week, /Papers of Week 22, 2024/);
    assert.deepEqual(cardIds(week).sort(), ["2405.10001", "2405.10002", "2405.15738", "2405.20001"]);
    const month = await (await site.web.request("/month/2024-05")).text();
    assert.equal(cardIds(month).length, 5);
    assert.equal(cardIds(month)[0], "2405.10001");
  });

  test("the day picker redirects to the day's page", async () => {
    const res = await site.web.request("/day?date=2024-05-27");
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("Location"), "/day/2024-05-27");
    assert.equal((await site.web.request("/day?date=yesterday")).status, 400);
  });

  test("bad dates, sorts and pages get a clear error page", async () => {
    const badDay = await site.web.request("/day/2024-13-45");
    assert.equal(badDay.status, 404);
    assert.match(await badDay.text(), /not a date/);
    assert.equal((await site.web.request("/week/2024-W99")).status, 404);
    assert.equal((await site.web.request("/month/2024-5")).status, 404);
    const badSort = await site.web.request("/?sort=%3Cscript%3E");
    assert.equal(badSort.status, 400);
    const text = await badSort.text();
    assert.match(text, /The parameter &quot;sort&quot; must be one of top, trending, newest/);
    assert.doesNotMatch(text, /<script>/);
    assert.equal((await site.web.request("/?page=0")).status, 400);
    assert.equal((await site.web.request("/?page=99999999")).status, 400);
  });

  test("markup in titles, authors and submitters is escaped; math is rendered", async () => {
    const html = await (await site.web.request("/day/2024-05-27")).text();
    assert.ok(!html.includes(HOSTILE), "raw hostile markup must not appear");
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /<img src=x/);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(html, /<math><msup><mi>x<\/mi><mn[^>]*>2<\/mn><\/msup><\/math>/);
  });

  test("trending ranks the recent papers by the documented score", async () => {
    site.web.setNow("2024-05-28T12:00:00Z");
    const html = await (await site.web.request("/trending")).text();
    // The fixture's attention (upvotes, comments) and first featured day, scored with the documented formula.
    const at = new Date("2024-05-28T12:00:00Z");
    const signals: [string, number, number, string][] = [
      ["2405.10001", 30, 0, "2024-05-27"],
      ["2405.15738", 10, 2, "2024-05-27"],
      ["2405.10002", 5, 1, "2024-05-27"],
      ["2405.20001", 7, 0, "2024-05-28"],
      ["hep-th/9901001", 3, 0, "2024-05-24"],
    ];
    const expected = signals
      .map(([paper, upvotes, comments, since]) => ({
        paper,
        score: trendingScore(
          { upvotes, comments, starsGained: 0, since: new Date(`${since}T00:00:00Z`) },
          at,
          DEFAULT_TRENDING_PARAMS,
        ),
      }))
      .sort((a, b) => b.score - a.score)
      .map((s) => s.paper);
    assert.deepEqual(cardIds(html), expected);
    assert.match(html, /href="\/about#trending"/);
  });

  test("the whole home page (HTML, CSS, JS) stays within 60 KB", async () => {
    const html = await (await site.web.request("/day/2024-05-27")).text();
    const assets = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1] ?? "");
    assert.equal(assets.length, 3, "stylesheet, script and icon");
    let bytes = Buffer.byteLength(html);
    for (const path of assets) {
      const res = await site.web.request(path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("Cache-Control") ?? "", /max-age=31536000, immutable/);
      bytes += Buffer.byteLength(await res.text());
    }
    assert.ok(bytes <= 60 * 1024, `home page weighs ${bytes} bytes`);
  });

  test("static files: a stale hash is a 404, a matching ETag a 304", async () => {
    assert.equal((await site.web.request("/static/style.0000000000.css")).status, 404);
    const html = await (await site.web.request("/about")).text();
    const css = /href="(\/static\/style\.[0-9a-f]+\.css)"/.exec(html)?.[1] ?? "";
    const first = await site.web.request(css);
    const etag = first.headers.get("ETag") ?? "";
    assert.ok(etag);
    const again = await site.web.request(css, { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
  });
});
