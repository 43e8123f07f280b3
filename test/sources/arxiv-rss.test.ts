import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValidationError } from "../../src/core/errors.ts";
import { ManualClock } from "../../src/net/clock.ts";
import { SourceError } from "../../src/net/http-client.ts";
import { ArxivApiClient, createArxivLimiter } from "../../src/sources/arxiv/api.ts";
import { ArxivListingClient, parseListingFeed } from "../../src/sources/arxiv/rss.ts";
import { ARXIV_API_PATH, startFakeArxivApi } from "../fakes/arxiv-api.ts";
import { FEED, LISTED } from "../fakes/arxiv-rss.ts";
import { type FakeServer, startFakeServer } from "../fakes/server.ts";

/** Runs `body` against a fake rss.arxiv.org serving `feed` for cs.LG; no request may be unplanned. */
async function withRss(
  feed: string,
  body: (server: FakeServer, client: ArxivListingClient, clock: ManualClock) => Promise<void>,
): Promise<void> {
  const server = await startFakeServer((url) =>
    url.pathname === "/rss/cs.LG"
      ? { headers: { "content-type": "application/rss+xml" }, body: feed }
      : undefined,
  );
  const clock = new ManualClock();
  const client = new ArxivListingClient({
    baseUrl: `${server.url}/rss`,
    limiter: createArxivLimiter(clock),
    clock,
  });
  try {
    await body(server, client, clock);
    assert.deepEqual(server.unplanned, []);
  } finally {
    await server.close();
  }
}

describe("ArxivListingClient.fetchCategory", () => {
  test("reads every announce type; bad items are problems with reasons", async () => {
    await withRss(FEED, async (server, client) => {
      const listing = await client.fetchCategory("cs.LG");
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]?.url.pathname, "/rss/cs.LG");
      assert.equal(listing.listedAt, LISTED);
      assert.deepEqual(
        listing.items.map((i) => [i.record.id, i.announceType, i.version]),
        [
          ["2405.15738", "new", 1],
          ["2405.16001", "cross", 1],
          ["2305.10601", "replace", 3],
          ["math/0309136", "replace-cross", 2],
        ],
      );
      assert.equal(listing.problems.length, 2);
      assert.equal(listing.problems[0]?.id, "not-an-id");
      assert.match(listing.problems[0]?.reason ?? "", /^id: not an arXiv id: "not-an-id"/);
      assert.deepEqual(listing.problems[1], {
        id: "2405.17000",
        reason: 'announce_type: "withdrawn" is not one of new, cross, replace, replace-cross',
      });
    });
  });

  test("a new paper: every field of the record", async () => {
    await withRss(FEED, async (_server, client) => {
      const { items } = await client.fetchCategory("cs.LG");
      assert.deepEqual(items[0]?.record, {
        id: "2405.15738",
        sources: ["arxiv-rss"],
        versions: [{ version: 1, date: LISTED }],
        title: "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models",
        abstract:
          "High-resolution Large Multimodal Models (LMMs) encounter the challenges of excessive visual tokens and quadratic visual complexity.",
        authors: ["Chunjiang Ge", "Sijie Cheng", "Ziming Wang", "Jiale Yuan"],
        categories: ["cs.CV", "cs.CL"],
        license: "http://creativecommons.org/licenses/by/4.0/",
      });
    });
  });

  test("LaTeX in titles and abstracts is kept; entities are decoded", async () => {
    await withRss(FEED, async (_server, client) => {
      const cross = (await client.fetchCategory("cs.LG")).items[1]?.record;
      assert.equal(cross?.title, "$\\mathcal{O}(n \\log n)$ Sorting with $k$-ary Heaps & Friends");
      assert.equal(
        cross?.abstract,
        "We show that $k$-ary heaps sort in $\\mathcal{O}(n \\log n)$ comparisons when $k < n$.",
      );
      assert.deepEqual(cross?.authors, ["Ada Lovelace", "José García"]);
      assert.deepEqual(cross?.categories, ["cs.DS", "cs.LG"]);
    });
  });

  test("a replacement carries its version, journal reference and DOI", async () => {
    await withRss(FEED, async (_server, client) => {
      const replace = (await client.fetchCategory("cs.LG")).items[2]?.record;
      assert.deepEqual(replace?.versions, [{ version: 3, date: LISTED }]);
      assert.equal(replace?.journalRef, "NeurIPS 2023");
      assert.equal(replace?.doi, "10.48550/arXiv.2305.10601");
      assert.deepEqual(replace?.categories, ["cs.CL", "cs.AI", "cs.LG"]);
    });
  });

  test("an item without its own pubDate is dated by the channel, falling back to lastBuildDate", async () => {
    const noChannelPubDate = FEED.replace(
      /\n {4}<pubDate>[^<]*<\/pubDate>\n {4}<skipDays>/,
      "\n    <skipDays>",
    ).replace(
      "<lastBuildDate>Tue, 28 May 2024 00:00:00 -0400",
      "<lastBuildDate>Tue, 28 May 2024 01:30:00 -0400",
    );
    await withRss(noChannelPubDate, async (_server, client) => {
      const listing = await client.fetchCategory("cs.LG");
      assert.equal(listing.listedAt, "2024-05-28T05:30:00.000Z");
      const old = listing.items.find((i) => i.record.id === "math/0309136");
      assert.deepEqual(old?.record.versions, [{ version: 2, date: "2024-05-28T05:30:00.000Z" }]);
      // Items with their own pubDate keep it.
      assert.deepEqual(listing.items[0]?.record.versions, [{ version: 1, date: LISTED }]);
    });
  });

  test("an empty channel (weekends) has no items and no problems", async () => {
    const empty = FEED.replace(/<item>[\s\S]*<\/item>/, "");
    await withRss(empty, async (_server, client) => {
      assert.deepEqual(await client.fetchCategory("cs.LG"), { items: [], problems: [], listedAt: LISTED });
    });
  });

  test("a cut-short feed or one that is not RSS is a parse error", async () => {
    await withRss(FEED.slice(0, Math.floor(FEED.length / 2)), async (_server, client) => {
      await assert.rejects(client.fetchCategory("cs.LG"), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.kind, "parse");
        assert.match(error.message, /malformed XML/);
        return true;
      });
    });
    assert.throws(
      () => parseListingFeed("<html><body>Not found</body></html>", "http://x/rss/cs.LG"),
      /not an RSS feed/,
    );
  });

  test("a category that is not one is refused before any request", async () => {
    await withRss(FEED, async (server, client) => {
      await assert.rejects(client.fetchCategory("cs.LG/../../etc"), ValidationError);
      assert.equal(server.requests.length, 0);
    });
  });
});

describe("ArxivListingClient shares arXiv's limiter", () => {
  test("listing and API requests from one process are spaced 3 s apart", async () => {
    const rss = await startFakeServer((url) => (url.pathname === "/rss/cs.LG" ? { body: FEED } : undefined));
    const api = await startFakeArxivApi();
    try {
      const clock = new ManualClock();
      const limiter = createArxivLimiter(clock);
      const listings = new ArxivListingClient({ baseUrl: `${rss.url}/rss`, limiter, clock });
      const papers = new ArxivApiClient({ baseUrl: `${api.url}${ARXIV_API_PATH}`, limiter, clock });
      const t0 = clock.now();
      await Promise.all([
        listings.fetchCategory("cs.LG"),
        papers.fetchByIds(["1605.08386"]),
        listings.fetchCategory("cs.LG"),
      ]);
      assert.deepEqual(limiter.starts, [t0, t0 + 3000, t0 + 6000]);
      assert.deepEqual(rss.unplanned, []);
      assert.deepEqual(api.unplanned, []);
    } finally {
      await rss.close();
      await api.close();
    }
  });
});
