import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { loadConfig } from "../../src/config/config.ts";
import type { IsoDate } from "../../src/core/index.ts";
import { fetchImages, MAX_IMAGE_BYTES } from "../../src/jobs/fetch-images.ts";
import { HttpClient } from "../../src/net/http-client.ts";
import { parseHfDailyEntry } from "../../src/sources/hf/entry.ts";
import { KyselyStore } from "../../src/store/kysely-store.ts";
import type { Store } from "../../src/store/store.ts";
import { recordedEntries } from "../fakes/hf.ts";
import type { FakeServer } from "../fakes/server.ts";
import { getAs, makeUser, signIn } from "../helpers/community.ts";
import { buildArxivRecord, id } from "../helpers/factories.ts";
import { ingestDayWithPictures, solidPng, startFakeCdn } from "../helpers/pictures.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, TEST_SECRET, type TestApp } from "../helpers/web.ts";
import { cardIds } from "../helpers/web-fixtures.ts";

/** The busiest day of the shared recordings (50 papers), its pictures on a loopback CDN. */
const DAY = "2026-05-13";
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/** The heading levels of a page, in order. */
function headingLevels(html: string): number[] {
  return [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
}

function appWith(store: Store, env: Record<string, string>): TestApp {
  const web = createTestApp(store);
  const config = loadConfig({
    PAPERBOY_DATA_DIR: web.deps.config.dataDir,
    PAPERBOY_BASE_URL: "http://paperboy.test",
    PAPERBOY_SECRET: TEST_SECRET,
    PAPERBOY_LOG_LEVEL: "silent",
    ...env,
  });
  const app = createTestApp(store, { config });
  web.close();
  return app;
}

describe("reader's pages (issue 18)", () => {
  let db: TestDatabase;
  let store: Store;
  let cdn: FakeServer;
  let web: TestApp;
  let fetched: { kept: number; refused: number };
  let elsewhere = 0;
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    cdn = await startFakeCdn();
    await ingestDayWithPictures(store, DAY, cdn.url);
    // Pictures on hosts the operator did not allow here: Hugging Face's own CDN (used by the source-mode test
    // below) and another host. Refused without a request.
    const [first, second] = recordedEntries("2026-05-12");
    const other = [
      parseHfDailyEntry(first, "2026-05-12" as IsoDate),
      parseHfDailyEntry(
        { ...second, thumbnail: "https://elsewhere.example/t.png", submittedBy: null, organization: null },
        "2026-05-12" as IsoDate,
      ),
    ];
    elsewhere = other.flatMap((o) => Object.values(o.daily.media ?? {}).filter((u) => u !== null)).length;
    await store.ingest({ papers: other.map((o) => o.paper), daily: other.map((o) => o.daily) });
    await store.ingest({
      papers: [
        buildArxivRecord({
          id: id("2401.00001"),
          title: "A paper with links",
          abstract: "Code at https://github.com/example/repo. Data: (see http://example.org/data), fine.",
        }),
      ],
    });
    fetched = await fetchImages(
      {
        store,
        images: { mode: "local", hosts: [new URL(cdn.url).host] },
        http: new HttpClient({ maxBodyBytes: MAX_IMAGE_BYTES, retry: { attempts: 1 } }),
      },
      { limit: 1000 },
    );
    web = appWith(store, { PAPERBOY_IMAGE_HOSTS: new URL(cdn.url).host });
    web.setNow(`${DAY}T18:00:00Z`);
  });
  after(async () => {
    web.close();
    await cdn.close();
    await store.close();
    await db.drop();
  });

  describe("1. pictures", () => {
    test("the worker keeps real pictures from allowed hosts and refuses the rest, saying why", async () => {
      assert.deepEqual(cdn.unplanned, []);
      assert.ok(elsewhere >= 2);
      assert.equal(fetched.refused, 4 + elsewhere, "html.png, page.png, huge.png, missing.png, other hosts");
      assert.ok(fetched.kept >= 90, `${fetched.kept} kept`);
      assert.ok(
        cdn.requests.every((r) => r.url.pathname.endsWith(".png")),
        "only picture URLs the data names were asked for",
      );
      // Nothing is fetched twice.
      const again = await fetchImages(
        {
          store,
          images: { mode: "local", hosts: [new URL(cdn.url).host] },
          http: new HttpClient({ maxBodyBytes: MAX_IMAGE_BYTES, retry: { attempts: 1 } }),
        },
        { limit: 1000 },
      );
      assert.deepEqual(again, { kept: 0, refused: 0 });
      assert.ok(store instanceof KyselyStore);
      const reasons = await store.db
        .selectFrom("media_images")
        .select(["url", "error"])
        .where("error", "is not", null)
        .orderBy("url")
        .execute();
      const why = Object.fromEntries(reasons.map((r) => [new URL(r.url).pathname, r.error ?? ""]));
      assert.match(why["/html.png"] ?? "", /bytes are not PNG, JPEG, GIF or WebP/);
      assert.match(why["/page.png"] ?? "", /not a picture \(text\/html\)/);
      assert.match(why["/huge.png"] ?? "", /larger than 2097152 bytes/);
      assert.match(why["/missing.png"] ?? "", /HTTP 404/);
      assert.match(why["/t.png"] ?? "", /host not in PAPERBOY_IMAGE_HOSTS/);
      assert.ok(!cdn.requests.some((r) => r.url.pathname === "/t.png"));
    });

    test("cards show sized lazy thumbnails from this site, avatars, the organisation and linked authors", async () => {
      const html = await (await web.request(`/day/${DAY}`)).text();
      const thumbs = [...html.matchAll(/<div class="thumb" aria-hidden="true">(<img [^>]*>|<span>)/g)];
      assert.equal(thumbs.length, 40, "one picture box per card");
      const images = thumbs.map((m) => m[1] ?? "").filter((t) => t.startsWith("<img"));
      for (const img of images) {
        assert.match(img, /src="\/images\/[0-9a-f]{64}\.png" width="160" height="90" alt="" loading="lazy"/);
      }
      // The four the CDN answered wrongly are the placeholder box, not a broken picture.
      assert.equal(thumbs.length - images.length, 4);
      assert.ok(!html.includes(cdn.url), "no reader's browser is sent to the picture host");
      assert.match(html, /<img class="av" src="\/images\/[0-9a-f]{64}\.png" width="18" height="18"/);
      assert.match(html, /Submitted by Haiwen Diao/);
      assert.match(html, /<span class="by"><img class="av"[^>]*>MemTensor<\/span>/);
      assert.match(
        html,
        /<a href="\/authors\/Haiwen%20Diao">Haiwen Diao<\/a>, <a href="\/authors\/Penghao%20Wu">/,
      );
      // The content security policy lets pictures come only from this site.
      const res = await web.request(`/day/${DAY}`);
      assert.match(res.headers.get("content-security-policy") ?? "", /img-src 'self' data:;/);
    });

    test("/images/<sha256>.<ext> serves the kept bytes for a year, and nothing else", async () => {
      const html = await (await web.request(`/day/${DAY}`)).text();
      const src = /<div class="thumb" aria-hidden="true"><img src="(\/images\/([0-9a-f]{64})\.png)"/.exec(
        html,
      );
      assert.ok(src?.[1] && src[2]);
      const res = await web.request(src[1]);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.match(res.headers.get("content-security-policy") ?? "", /sandbox/);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(createHash("sha256").update(bytes).digest("hex"), src[2]);
      assert.equal(res.headers.get("set-cookie"), null);
      for (const path of [`/images/${"0".repeat(64)}.png`, "/images/../secret", `/images/${src[2]}.svg`]) {
        assert.equal((await web.request(path)).status, 404, path);
      }
    });

    test("PAPERBOY_IMAGES=source links the CDN's address on allowed hosts; off shows placeholders", async () => {
      const source = appWith(store, { PAPERBOY_IMAGES: "source" });
      const day = await source.request("/day/2026-05-12");
      const html = await day.text();
      assert.match(
        html,
        /<img src="https:\/\/cdn-thumbnails\.huggingface\.co\/social-thumbnails\/papers\/[^"]+\.png" width="160"/,
      );
      assert.ok(!html.includes("elsewhere.example"), "a host not allowed is never linked");
      assert.match(
        day.headers.get("content-security-policy") ?? "",
        /img-src 'self' data: https:\/\/cdn-thumbnails/,
      );
      source.close();
      const off = appWith(store, { PAPERBOY_IMAGES: "off" });
      const none = await (await off.request(`/day/${DAY}`)).text();
      assert.doesNotMatch(none, /<img /);
      assert.match(none, /<div class="thumb" aria-hidden="true"><span>/);
      off.close();
    });
  });

  describe("2. compression and page weight", () => {
    test("HTML, JSON and feeds come compressed by Accept-Encoding, with Vary", async () => {
      for (const path of [`/day/${DAY}`, `/api/daily_papers?date=${DAY}`, "/feeds/daily.rss"]) {
        const plain = await web.request(path);
        const identity = Buffer.from(await plain.arrayBuffer());
        assert.equal(plain.headers.get("content-encoding"), null, path);
        assert.match(plain.headers.get("vary") ?? "", /Accept-Encoding/, path);

        const br = await web.request(path, { headers: { "Accept-Encoding": "gzip, deflate, br" } });
        assert.equal(br.headers.get("content-encoding"), "br", path);
        assert.match(br.headers.get("vary") ?? "", /Accept-Encoding/);
        const brBody = Buffer.from(await br.arrayBuffer());
        assert.deepEqual(brotliDecompressSync(brBody), identity, path);
        assert.ok(brBody.length < identity.length / 3, `${path}: ${brBody.length} of ${identity.length}`);

        const gz = await web.request(path, { headers: { "Accept-Encoding": "gzip" } });
        assert.equal(gz.headers.get("content-encoding"), "gzip", path);
        assert.deepEqual(gunzipSync(Buffer.from(await gz.arrayBuffer())), identity, path);

        const refused = await web.request(path, { headers: { "Accept-Encoding": "br;q=0, gzip;q=0" } });
        assert.equal(refused.headers.get("content-encoding"), null, path);
      }
      // Pictures are compressed already.
      const html = await (await web.request(`/day/${DAY}`)).text();
      const img = /src="(\/images\/[^"]+)"/.exec(html)?.[1] ?? "";
      const pic = await web.request(img, { headers: { "Accept-Encoding": "br" } });
      assert.equal(pic.headers.get("content-encoding"), null);
    });

    test("the busiest day's list is at most 60 KB of HTML, with the rest on a second page", async () => {
      const html = await (await web.request(`/day/${DAY}`)).text();
      const bytes = Buffer.byteLength(html);
      assert.ok(bytes <= 60 * 1024, `day page is ${bytes} bytes`);
      assert.equal(cardIds(html).length, 40);
      assert.match(html, /Page 1 of 2/);
      const second = await (await web.request(`/day/${DAY}?page=2`)).text();
      assert.equal(cardIds(second).length, 10);
      for (const path of ["/trending", `/week/2026-W20`, "/search?q=language+models"]) {
        const size = Buffer.byteLength(await (await web.request(path)).text());
        assert.ok(size <= 60 * 1024, `${path} is ${size} bytes`);
      }
    });
  });

  describe("5. one comment count", () => {
    test("the card and the paper page agree; the page splits it and links Hugging Face", async () => {
      const member = await signIn(store, await makeUser(store), new Date(`${DAY}T12:00:00Z`));
      await store.community.addComment({ paperId: id("2605.12500"), authorId: member.user.id, body: "Nice" });
      const dayHtml = await (await web.request(`/day/${DAY}`)).text();
      assert.match(dayHtml, /href="\/papers\/2605\.12500#comments">2 comments<\/a>/);
      const page = await (await web.request("/papers/2605.12500")).text();
      assert.match(
        page,
        /<a href="#comments">2 comments<\/a>: 1 here · <a href="https:\/\/huggingface\.co\/papers\/2605\.12500">1 on Hugging Face<\/a>/,
      );
      // A paper whose only comments are on Hugging Face says where they are instead of "no comments".
      const other = await (await web.request("/papers/2605.11000")).text();
      const hf = /(\d+) on Hugging Face/.exec(other);
      if (hf)
        assert.match(
          other,
          /No comments here yet\. .* on <a href="https:\/\/huggingface\.co\/papers\/2605\.11000">/,
        );
    });
  });

  describe("6. feeds", () => {
    test("every list, search, author and category page links its feed where readers see it", async () => {
      for (const path of [
        "/",
        `/day/${DAY}`,
        "/trending",
        "/search?q=memory",
        "/authors/Haiwen%20Diao",
        "/categories/cs.CL",
      ]) {
        const html = await (await web.request(path)).text();
        const body = html.slice(html.indexOf("<main"));
        assert.match(
          body,
          /<p class="feeds">[\s\S]*?<a href="\/feeds\/[^"]+\.atom[^"]*"[^>]*>Atom<\/a>/,
          path,
        );
      }
    });

    test("a browser opening a feed gets a readable page that says how to subscribe; readers get XML", async () => {
      const page = await web.request("/feeds/daily.rss", { headers: { Accept: BROWSER_ACCEPT } });
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      assert.match(page.headers.get("vary") ?? "", /Accept/);
      const html = await page.text();
      assert.match(html, /This is a feed/);
      assert.match(html, /feed reader/);
      assert.match(
        html,
        /<input class="feed-url" type="url" readonly="" value="http:\/\/paperboy\.test\/feeds\/daily\.rss"/,
      );
      assert.ok(cardIds(html).length === 0 && /<ol class="feed-items">/.test(html));
      const preview = await web.request("/feeds/search.atom?q=memory&view=html");
      assert.match(await preview.text(), /This is a feed/);
      for (const accept of ["application/rss+xml, */*", ""]) {
        const xml = await web.request("/feeds/daily.rss", accept ? { headers: { Accept: accept } } : {});
        assert.match(xml.headers.get("content-type") ?? "", /application\/rss\+xml/);
      }
      const raw = await web.request("/feeds/daily.rss?view=xml", { headers: { Accept: BROWSER_ACCEPT } });
      assert.match(raw.headers.get("content-type") ?? "", /application\/rss\+xml/);
    });
  });

  describe("7 and 8. smaller points", () => {
    test("/ marks Day as current; Next day on the newest day is a pill like Previous day", async () => {
      const html = await (await web.request("/")).text();
      assert.match(html, /<a href="\/day\/2026-05-13" aria-current="page">Day<\/a>/);
      assert.match(html, /<span aria-disabled="true">Next<span class="wide-only"> day<\/span> →<\/span>/);
      assert.match(
        html,
        /<a href="\/day\/2026-05-12[^"]*" rel="prev">← Previous<span class="wide-only"> day<\/span><\/a>/,
      );
      const css = await (
        await web.request(/href="(\/static\/style\.[0-9a-f]+\.css)"/.exec(html)?.[1] ?? "")
      ).text();
      assert.match(css, /\.tabs a,\n\.tabs > span \{\n {2}padding/);
      // Titles start at the same x whatever the vote count or button says.
      assert.match(css, /\.votes \{\n {2}flex: 0 0 56px;\n {2}width: 56px;/);
      assert.match(css, /a\.vote \{[^}]*border: 1px solid/);
      assert.match(css, /nav\.filters a\[aria-current="page"\] \{[^}]*background/);
    });

    test("the week and month pages pick a week and a month", async () => {
      const week = await (await web.request("/week/2026-W20")).text();
      assert.match(
        week,
        /<form method="get" action="\/week" class="tabs"><input type="week" name="week" value="2026-W20"/,
      );
      const go = await web.request("/week?week=2026-W19");
      assert.equal(go.status, 302);
      assert.equal(go.headers.get("location"), "/week/2026-W19");
      assert.equal((await web.request("/week?week=2026-13")).status, 400);
      const month = await (await web.request("/month/2026-05")).text();
      assert.match(month, /<input type="month" name="month" value="2026-05"/);
      assert.equal((await web.request("/month?month=2026-04")).headers.get("location"), "/month/2026-04");
    });

    test("search: one box, filters folded behind a button, plain words for the count", async () => {
      const html = await (await web.request("/search?q=memory")).text();
      assert.equal(html.match(/name="q"/g)?.length, 1);
      assert.match(html, /<details class="more"><summary>Filters and sort<\/summary>/);
      assert.doesNotMatch(html, /closest/);
      assert.match(html, /\d+ papers match ·/);
      const filtered = await (await web.request("/search?q=memory&cat=cs.CL")).text();
      assert.match(filtered, /<details class="more" open="">/);
    });

    test("trending says in words how it ranks", async () => {
      const html = await (await web.request("/trending")).text();
      assert.doesNotMatch(html, /age<sup>/);
      assert.match(html, /rise with upvotes, comments\s+and new GitHub stars, and sink as they get older/);
    });

    test("paper page: BibTeX button not a heading, visitors' upvote a button-like link, URLs linked", async () => {
      const html = await (await web.request("/papers/2605.12500")).text();
      assert.match(html, /<h2 id="cite">Cite<\/h2><button type="button" class="small" data-copy=/);
      assert.doesNotMatch(html, /<h2[^>]*>[^<]*<button/);
      assert.match(html, /<a class="vote" href="\/signin\?next=/);
      // 58 authors: the first twelve, and the rest folded behind "+46 more".
      assert.match(html, /<details class="authors"><summary><a href="\/authors\/Haiwen%20Diao">/);
      assert.match(html, /<span class="more-authors"> \+46 more<\/span><\/summary>, <a href="\/authors\//);
      assert.equal(html.match(/<a href="\/authors\//g)?.length, 58);
      const links = await (await web.request("/papers/2401.00001")).text();
      assert.match(
        links,
        /Code at <a href="https:\/\/github\.com\/example\/repo" rel="nofollow noopener">https:\/\/github\.com\/example\/repo<\/a>\. Data: \(see <a href="http:\/\/example\.org\/data" rel="nofollow noopener">http:\/\/example\.org\/data<\/a>\), fine\./,
      );
    });

    test("$...$ in comments is rendered as MathML; prices stay prose", async () => {
      const member = await signIn(store, await makeUser(store), new Date(`${DAY}T12:00:00Z`));
      await store.community.addComment({
        paperId: id("2401.00001"),
        authorId: member.user.id,
        body: "The bound is $O(n^2)$, and $$\\sum_i x_i$$ costs $5 and $10.",
      });
      const html = await (await web.request("/papers/2401.00001", getAs(member))).text();
      const comment = html.slice(html.indexOf('<div class="comment-body">'));
      assert.match(comment, /The bound is <math>/);
      assert.match(comment, /<math display="block"/);
      assert.match(comment, /costs \$5 and \$10\./);
    });

    test("a favicon, and headings that never skip a level", async () => {
      const icon = await web.request("/favicon.ico");
      assert.equal(icon.status, 200);
      assert.equal(icon.headers.get("content-type"), "image/svg+xml");
      assert.match(await icon.text(), /^<svg /);
      for (const path of [
        "/",
        "/trending",
        "/search?q=memory",
        "/papers/2605.12500",
        "/authors/Haiwen%20Diao",
      ]) {
        const html = await (await web.request(path)).text();
        assert.match(
          html,
          /<link rel="icon" href="\/static\/favicon\.[0-9a-f]+\.svg" type="image\/svg\+xml"\/>/,
        );
        const levels = headingLevels(html);
        assert.equal(levels[0], 1, path);
        levels.forEach((level, i) => {
          if (i > 0)
            assert.ok(level <= (levels[i - 1] ?? 1) + 1, `${path}: h${levels[i - 1]} then h${level}`);
        });
      }
    });
  });
});

// Keeps solidPng's import honest for readers of this file: the CDN's pictures are real PNGs.
test("the fake CDN's pictures are real PNGs", () => {
  assert.deepEqual([...solidPng(2, 2, 1).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});
