import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, buildDailyRecord, cats, day, id } from "../helpers/factories.ts";
import { ingestRecordedDays } from "../helpers/hf-days.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

const LIST = new Set(["item", "entry", "author", "category", "link", "dc:creator"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  parseTagValue: false,
  isArray: (name) => LIST.has(name),
});

type Node = Record<string, unknown>;
const text = (node: unknown): string => {
  const one = Array.isArray(node) ? node[0] : node;
  return typeof one === "string" ? one : String((one as Node | undefined)?.["#text"] ?? "");
};

// RFC 822 as RSS 2.0 uses it (four-digit years, GMT), and RFC 3339 date-times.
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Checks what RSS 2.0 requires (channel title, link, description; items with title or description) and more. */
function checkRss(xml: string, selfUrl: string): Node[] {
  assert.equal(XMLValidator.validate(xml), true);
  const doc = parser.parse(xml) as Node;
  const rss = doc.rss as Node;
  assert.equal(rss["@version"], "2.0");
  const channel = rss.channel as Node;
  for (const field of ["title", "link", "description"]) assert.ok(text(channel[field]).length > 0, field);
  const self = (channel["atom:link"] as Node[] | Node | undefined) ?? [];
  const links = Array.isArray(self) ? self : [self];
  assert.ok(
    links.some((l) => l["@rel"] === "self" && l["@href"] === selfUrl),
    "self link",
  );
  assert.match(text(channel.lastBuildDate), RFC822);
  const items = (channel.item as Node[] | undefined) ?? [];
  const guids = new Set<string>();
  for (const item of items) {
    assert.ok(text(item.title) || text(item.description));
    assert.match(text(item.pubDate), RFC822);
    assert.ok(!Number.isNaN(Date.parse(text(item.pubDate))));
    const guid = text(item.guid);
    assert.match(guid, /^http:\/\/paperboy\.test\/papers\//);
    assert.ok(!guids.has(guid), "guids are unique");
    guids.add(guid);
  }
  return items;
}

/** Checks RFC 4287: feed id, title, updated, an author for every entry; entries with id, title, updated, link. */
function checkAtom(xml: string, selfUrl: string): Node[] {
  assert.equal(XMLValidator.validate(xml), true);
  const feed = (parser.parse(xml) as Node).feed as Node;
  assert.equal(feed["@xmlns"], "http://www.w3.org/2005/Atom");
  for (const field of ["id", "title", "updated"]) assert.ok(text(feed[field]).length > 0, field);
  assert.match(text(feed.updated), RFC3339);
  const links = feed.link as Node[];
  assert.ok(
    links.some((l) => l["@rel"] === "self" && l["@href"] === selfUrl),
    "self link",
  );
  const feedHasAuthor = ((feed.author as Node[] | undefined) ?? []).length > 0;
  const entries = (feed.entry as Node[] | undefined) ?? [];
  const ids = new Set<string>();
  for (const entry of entries) {
    for (const field of ["id", "title", "updated"]) assert.ok(text(entry[field]).length > 0, field);
    assert.match(text(entry.updated), RFC3339);
    assert.match(text(entry.published), RFC3339);
    assert.ok(feedHasAuthor || ((entry.author as Node[] | undefined) ?? []).length > 0);
    assert.ok((entry.link as Node[]).some((l) => l["@rel"] === "alternate"));
    assert.ok(!ids.has(text(entry.id)));
    ids.add(text(entry.id));
  }
  return entries;
}

const TRICKY = id("2608.99999");

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`feeds: ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let web: TestApp;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      await ingestRecordedDays(store, ["2026-08-20", "2026-08-21"]);
      // A paper whose text needs every escape, and a control character XML forbids.
      await store.ingest({
        papers: [
          buildArxivRecord({
            id: TRICKY,
            title: `Less <than> & "quotes" 'n' \u0001bells ]]> 😀`,
            abstract: "x < y && y > z; </description><script>alert(1)</script>",
            authors: ["Zoë <O'Brien> & Co"],
            categories: cats("cs.LG"),
          }),
        ],
        daily: [buildDailyRecord({ date: day("2026-08-21"), paperId: TRICKY, upvotes: 1000 })],
      });
      web = createTestApp(store);
      web.setNow("2026-08-22T06:00:00Z");
    });
    after(async () => {
      web.close();
      await store.close();
      await db.drop();
    });

    const get = async (path: string, type: RegExp) => {
      const res = await web.request(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type") ?? "", type);
      return res.text();
    };

    test("daily feed in both formats: valid, best first, escaped exactly", async () => {
      const items = checkRss(
        await get("/feeds/daily.rss", /application\/rss\+xml/),
        "http://paperboy.test/feeds/daily.rss",
      );
      assert.equal(text(items[0]?.title), `Less <than> & "quotes" 'n' bells ]]> 😀`);
      // RSS readers take <description> as HTML: its text is escaped as HTML inside the XML escaping, so a
      // reader shows the characters and never runs the markup.
      assert.equal(
        text(items[0]?.description),
        "x &lt; y &amp;&amp; y &gt; z; &lt;/description&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
      );
      assert.deepEqual(items[0]?.["dc:creator"], ["Zoë <O'Brien> & Co"]);
      assert.equal(text(items[0]?.pubDate), "Fri, 21 Aug 2026 00:00:00 GMT");
      // Three latest days are offered, capped at 50 items.
      assert.equal(items.length, 33);
      const entries = checkAtom(
        await get("/feeds/daily.atom", /application\/atom\+xml/),
        "http://paperboy.test/feeds/daily.atom",
      );
      assert.equal(entries.length, items.length);
      assert.equal(text(entries[0]?.id), `http://paperboy.test/papers/${TRICKY}`);
      assert.equal(text(entries[0]?.published), "2026-08-21T00:00:00.000Z");
      assert.equal(text(((entries[0]?.author ?? []) as Node[])[0]?.name), "Zoë <O'Brien> & Co");
      // Without an extension the feed is RSS.
      checkRss(await get("/feeds/daily", /rss/), "http://paperboy.test/feeds/daily.rss");
    });

    test("trending, search, category and author feeds", async () => {
      const trending = checkAtom(
        await get("/feeds/trending.atom", /atom/),
        "http://paperboy.test/feeds/trending.atom",
      );
      assert.equal(text(trending[0]?.id), `http://paperboy.test/papers/${TRICKY}`);
      const search = checkRss(
        await get("/feeds/search.rss?q=EnvHarness", /rss/),
        "http://paperboy.test/feeds/search.rss?q=EnvHarness",
      );
      assert.ok(search.some((i) => text(i.guid).endsWith("/papers/2608.19880")));
      const category = checkAtom(
        await get("/feeds/category/cs.LG.atom", /atom/),
        "http://paperboy.test/feeds/category/cs.LG.atom",
      );
      assert.ok(category.some((e) => text(e.id).endsWith(TRICKY)));
      const author = checkRss(
        await get("/feeds/author/Chengsong%20Huang.rss", /rss/),
        "http://paperboy.test/feeds/author/Chengsong%20Huang.rss",
      );
      assert.ok(author.some((i) => text(i.guid).endsWith("/papers/2608.19880")));
    });

    test("feed ids stay the same between requests", async () => {
      const first = await get("/feeds/daily.atom", /atom/);
      const second = await get("/feeds/daily.atom", /atom/);
      assert.equal(first, second);
    });

    test("bad feed requests get clear errors", async () => {
      const bad = await web.request("/feeds/category/%3Cscript%3E.rss");
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /not an arXiv category/);
      assert.equal((await web.request("/feeds/search.rss")).status, 400);
      assert.equal((await web.request("/feeds/nothing.rss")).status, 404);
      assert.equal((await web.request("/feeds/a/b/c.rss")).status, 404);
    });
  });
}
