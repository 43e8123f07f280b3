import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/net/clock.ts";
import { SourceError } from "../../src/net/http-client.ts";
import type { IntervalLimiter } from "../../src/net/interval-limiter.ts";
import {
  ArxivApiClient,
  type ArxivApiClientOptions,
  createArxivLimiter,
  ID_BATCH_SIZE,
} from "../../src/sources/arxiv/api.ts";
import { parseAtomFeed } from "../../src/sources/arxiv/atom.ts";
import { ARXIV_API_PATH, type FakeArxivApi, recordedBody, startFakeArxivApi } from "../fakes/arxiv-api.ts";
import { type FakeServer, startFakeServer } from "../fakes/server.ts";

interface Setup {
  server: FakeArxivApi;
  clock: ManualClock;
  limiter: IntervalLimiter;
  client: ArxivApiClient;
  t0: number;
}

/** Runs `body` against a fresh fake arXiv API with a client on a ManualClock; no request may be unplanned. */
async function withApi(
  body: (s: Setup) => Promise<void>,
  options: Partial<ArxivApiClientOptions> = {},
): Promise<void> {
  const server = await startFakeArxivApi();
  const clock = new ManualClock();
  const limiter = createArxivLimiter(clock);
  const client = new ArxivApiClient({
    baseUrl: `${server.url}${ARXIV_API_PATH}`,
    limiter,
    clock,
    random: () => 0,
    ...options,
  });
  try {
    await body({ server, clock, limiter, client, t0: clock.now() });
    assert.deepEqual(server.unplanned, []);
  } finally {
    await server.close();
  }
}

const isQuery = (start: number, maxResults: number) => (url: URL) =>
  url.searchParams.get("search_query") === "testing" &&
  url.searchParams.get("start") === String(start) &&
  url.searchParams.get("max_results") === String(maxResults);

describe("ArxivApiClient.fetchByIds over recorded responses", () => {
  test("one id: every field of the record", async () => {
    await withApi(async ({ client, server }) => {
      const { records, problems, missing } = await client.fetchByIds(["1605.08386"]);
      assert.deepEqual(problems, []);
      assert.deepEqual(missing, []);
      assert.deepEqual(records, [
        {
          id: "1605.08386",
          sources: ["arxiv-api"],
          versions: [{ version: 1, date: "2016-05-26T17:59:46.000Z" }],
          title: "Heat-bath random walks with Markov bases",
          abstract: records[0]?.abstract,
          authors: ["Caprice Stanley", "Tobias Windisch"],
          categories: ["math.CO", "math.ST"],
          comments: "20 pages, 3 figures",
          journalRef: null,
          doi: null,
          publishedAt: "2016-05-26T17:59:46.000Z",
          pdfUrl: "https://arxiv.org/pdf/1605.08386v1",
        },
      ]);
      assert.match(
        records[0]?.abstract ?? "",
        /^Graphs on lattice points are studied .* in fixed dimension\.$/,
      );
      // The client sends the parameters the recordings used.
      const sent = server.requests[0]?.url.searchParams;
      assert.deepEqual([...(sent?.keys() ?? [])].sort(), [
        "id_list",
        "max_results",
        "search_query",
        "sortBy",
        "sortOrder",
        "start",
      ]);
    });
  });

  test("several ids: the unknown one is listed as missing, authors keep their order and accents", async () => {
    await withApi(async ({ client }) => {
      const { records, problems, missing } = await client.fetchByIds(["0808.05394", "1707.08567"]);
      assert.deepEqual(problems, []);
      assert.deepEqual(missing, ["0808.05394"]);
      assert.equal(records.length, 1);
      const r = records[0];
      assert.equal(r?.id, "1707.08567");
      assert.equal(r?.authors?.length, 34);
      assert.equal(r?.authors?.[0], "Kees A. Schouhamer Immink");
      assert.equal(r?.authors?.[32], "Dirk Wübben");
      assert.equal(r?.authors?.[33], "Hirosuke Yamamoto");
      assert.equal(r?.comments, "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck");
    });
  });

  test("old-style id: journal-ref, entities decoded, LaTeX kept, abstract whitespace normalised", async () => {
    await withApi(async ({ client }) => {
      const { records } = await client.fetchByIds(["astro-ph/0601001"]);
      const r = records[0];
      assert.equal(r?.id, "astro-ph/0601001");
      assert.deepEqual(r?.categories, ["astro-ph"]);
      assert.equal(r?.journalRef, "ActaAstron.56:1-50,2006");
      assert.deepEqual(r?.authors, ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"]);
      assert.ok(r?.abstract?.startsWith("We derive the frequencies"));
      assert.ok(r?.abstract?.includes("Gould & Morgan (2003)"));
      assert.ok(r?.abstract?.includes("limit of V_max<17.5."));
      assert.ok(r?.abstract?.includes("(1/310)(1^{+1.39}_{-0.59})"));
      assert.equal(r?.pdfUrl, "https://arxiv.org/pdf/astro-ph/0601001v1");
    });
  });

  test("versioned old-style id: primary category first", async () => {
    await withApi(async ({ client, server }) => {
      const { records } = await client.fetchByIds(["quant-ph/0201082v1"]);
      assert.equal(server.requests[0]?.url.searchParams.get("id_list"), "quant-ph/0201082v1");
      assert.equal(records[0]?.id, "quant-ph/0201082");
      assert.deepEqual(records[0]?.categories, ["quant-ph", "cs.PL"]);
      assert.deepEqual(records[0]?.versions, [{ version: 1, date: "2002-01-18T15:08:05.000Z" }]);
    });
  });

  test('the paper titled "0" keeps its title; ids written as URLs or with arXiv: are sent canonical', async () => {
    await withApi(async ({ client, server }) => {
      const { records, missing } = await client.fetchByIds([
        "https://arxiv.org/abs/2104.12255v1",
        "arXiv:2104.12255v1",
      ]);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]?.url.searchParams.get("id_list"), "2104.12255v1");
      assert.deepEqual(missing, []);
      assert.equal(records[0]?.id, "2104.12255");
      assert.equal(records[0]?.title, "0");
      assert.deepEqual(records[0]?.authors, ["Quan Thoi Minh Nguyen"]);
    });
  });

  test("a not-found id yields no records and no error", async () => {
    await withApi(async ({ client }) => {
      const result = await client.fetchByIds(["0000.0000"]);
      assert.deepEqual(result, { records: [], problems: [], missing: ["0000.0000"] });
    });
  });

  test("arXiv's 400 error feed becomes a SourceError with arXiv's message, not retried", async () => {
    await withApi(async ({ client, server, clock }) => {
      await assert.rejects(client.fetchByIds(["abc"]), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.status, 400);
        assert.equal(error.retryable, false);
        assert.match(error.message, /incorrect id format for abc/);
        return true;
      });
      assert.equal(server.requests.length, 1);
      assert.deepEqual(clock.sleeps, []);
    });
  });

  test("a 400 without arXiv's error feed is still a clear, non-retried SourceError", async () => {
    await withApi(async ({ client, server }) => {
      server.inject(() => true, {
        status: 400,
        headers: { "content-type": "text/plain" },
        body: "Bad Request",
      });
      await assert.rejects(client.fetchByIds(["1605.08386"]), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.status, 400);
        assert.match(error.message, /HTTP 400.*Bad Request/);
        return true;
      });
      assert.equal(server.requests.length, 1);
    });
  });

  test(`ids go in batches of ${ID_BATCH_SIZE}, duplicates asked once`, async () => {
    await withApi(async ({ client, server }) => {
      // Any multi-id request gets the recorded empty answer (the 0000.0000 lookup).
      server.inject(
        (url) => url.searchParams.get("id_list")?.includes(",") ?? false,
        {
          body: recordedBody("id_0000.0000_"),
        },
        2,
      );
      const ids = Array.from({ length: 150 }, (_, i) => `2401.${String(i + 1).padStart(5, "0")}`);
      const result = await client.fetchByIds([...ids, "arXiv:2401.00001", " 2401.00002 "]);
      const sent = server.requests.map((r) => r.url.searchParams);
      assert.deepEqual(
        sent.map((p) => p.get("id_list")?.split(",").length),
        [100, 50],
      );
      assert.deepEqual(
        sent.map((p) => p.get("max_results")),
        ["100", "100"],
      );
      assert.deepEqual(result.missing, ids);
    });
  });
});

describe("ArxivApiClient.search over recorded pages", () => {
  test("one page: the opensearch counts, DOI, journal-ref, latest and first versions", async () => {
    await withApi(async ({ client }) => {
      const page = await client.search("testing", { maxResults: 10 });
      assert.equal(page.totalResults, 214881);
      assert.equal(page.startIndex, 0);
      assert.equal(page.itemsPerPage, 10);
      assert.equal(page.records.length, 10);
      assert.deepEqual(page.problems, []);
      const first = page.records[0];
      assert.equal(first?.id, "2202.12139");
      assert.equal(first?.doi, "10.1109/ICSTW55395.2022.00035");
      assert.match(first?.journalRef ?? "", /^Artificial Intelligence in Software Testing @ 2022 IEEE/);
      assert.deepEqual(first?.categories, ["cs.SE", "cs.LG"]);
      const v3 = page.records.find((r) => r.id === "2204.08348");
      assert.deepEqual(v3?.versions, [
        { version: 1, date: "2022-04-18T14:46:24.000Z" },
        { version: 3, date: "2022-07-06T05:12:56.000Z" },
      ]);
      assert.equal(v3?.publishedAt, "2022-04-18T14:46:24.000Z");
    });
  });

  test("pages at other offsets and sizes", async () => {
    await withApi(async ({ client }) => {
      const at5 = await client.search("testing", { start: 5, maxResults: 15 });
      const at9 = await client.search("testing", { start: 9, maxResults: 15 });
      assert.deepEqual([at5.startIndex, at5.itemsPerPage, at5.records.length], [5, 15, 15]);
      assert.deepEqual([at9.startIndex, at9.itemsPerPage, at9.records.length], [9, 15, 15]);
    });
  });

  test("bad arguments are refused before any request", async () => {
    await withApi(async ({ client, server }) => {
      await assert.rejects(client.search("  "), RangeError);
      await assert.rejects(client.search("testing", { maxResults: 0 }), RangeError);
      await assert.rejects(client.searchAll("testing", { pageSize: 5000 }).next(), RangeError);
      assert.equal(server.requests.length, 0);
    });
  });
});

describe("ArxivApiClient.searchAll", () => {
  test("pages with start/max_results through the recorded pages up to maxResults", async () => {
    await withApi(async ({ client, server }) => {
      const pages = [];
      for await (const page of client.searchAll("testing", { pageSize: 10, maxResults: 60 }))
        pages.push(page);
      assert.deepEqual(
        server.requests.map((r) => r.url.searchParams.get("start")),
        ["0", "10", "20", "30", "40", "50"],
      );
      const ids = pages.flatMap((p) => p.records.map((r) => r.id));
      assert.equal(ids.length, 60);
      assert.equal(new Set(ids).size, 60);
      assert.equal(ids[0], "2202.12139");
      assert.equal(ids[10], "2403.16981");
    });
  });

  test("stops part way through a page at maxResults", async () => {
    await withApi(async ({ client, server }) => {
      const pages = [];
      for await (const page of client.searchAll("testing", { pageSize: 10, maxResults: 25 }))
        pages.push(page);
      assert.equal(server.requests.length, 3);
      assert.deepEqual(
        pages.map((p) => p.records.length),
        [10, 10, 5],
      );
    });
  });

  test("a page arXiv returns empty before the end is asked for again", async () => {
    await withApi(async ({ client, server }) => {
      const empty = recordedBody("q_testing_s10_m10_").replace(/<entry>[\s\S]*<\/entry>/, "");
      server.inject(isQuery(10, 10), { body: empty });
      let count = 0;
      for await (const page of client.searchAll("testing", { pageSize: 10, maxResults: 20 })) {
        count += page.records.length;
      }
      assert.equal(count, 20);
      assert.deepEqual(
        server.requests.map((r) => r.url.searchParams.get("start")),
        ["0", "10", "10"],
      );
    });
  });

  test("a page that stays empty is an error, not a silent end", async () => {
    await withApi(
      async ({ client, server }) => {
        const empty = recordedBody("q_testing_s10_m10_").replace(/<entry>[\s\S]*<\/entry>/, "");
        server.inject(isQuery(10, 10), { body: empty }, 2);
        const run = async () => {
          for await (const _ of client.searchAll("testing", { pageSize: 10, maxResults: 20 })) {
            // drain
          }
        };
        await assert.rejects(run(), (error: unknown) => {
          assert.ok(error instanceof SourceError);
          assert.match(error.message, /empty page at start=10 of 214881 results, 2 times/);
          return true;
        });
      },
      { emptyPageRetries: 1 },
    );
  });
});

/**
 * No recording is sorted by submission date, so this test serves a hand-made feed in the API's layout: five
 * papers submitted on consecutive days, newest first, paged by start/max_results.
 */
describe("ArxivApiClient.searchAll since a date (hand-made feed)", () => {
  const papers = ["10", "09", "08", "07", "06"].map((day, i) => ({
    id: `2603.0000${i + 1}`,
    published: `2026-03-${day}T12:00:00Z`,
  }));
  const feed = (start: number, max: number) => `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <title>arXiv Query: search_query=cat:cs.LG</title>
  <opensearch:itemsPerPage>${max}</opensearch:itemsPerPage>
  <opensearch:totalResults>${papers.length}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
${papers
  .slice(start, start + max)
  .map(
    (p) => `  <entry>
    <id>http://arxiv.org/abs/${p.id}v1</id>
    <title>Paper ${p.id}</title>
    <updated>${p.published}</updated>
    <summary>An abstract.</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>${p.published}</published>
    <arxiv:primary_category term="cs.LG"/>
    <author><name>A. Author</name></author>
  </entry>`,
  )
  .join("\n")}
</feed>`;

  async function withSortedApi(body: (server: FakeServer, client: ArxivApiClient) => Promise<void>) {
    const server = await startFakeServer((url) => {
      const p = url.searchParams;
      if (p.get("sortBy") !== "submittedDate" || p.get("sortOrder") !== "descending") return undefined;
      return { body: feed(Number(p.get("start")), Number(p.get("max_results"))) };
    });
    const clock = new ManualClock();
    const client = new ArxivApiClient({
      baseUrl: `${server.url}/api/query`,
      limiter: createArxivLimiter(clock),
      clock,
    });
    try {
      await body(server, client);
      assert.deepEqual(server.unplanned, []);
    } finally {
      await server.close();
    }
  }

  test("stops at the first paper submitted before `since`, without asking for the next page", async () => {
    await withSortedApi(async (server, client) => {
      const ids: string[] = [];
      const since = new Date("2026-03-08T00:00:00Z");
      for await (const page of client.searchAll("cat:cs.LG", { pageSize: 2, since })) {
        ids.push(...page.records.map((r) => r.id));
      }
      // The second page ends with the paper of 7 March: the third page is never asked for.
      assert.deepEqual(ids, ["2603.00001", "2603.00002", "2603.00003"]);
      assert.deepEqual(
        server.requests.map((r) => r.url.searchParams.get("start")),
        ["0", "2"],
      );
    });
  });

  test("without `since`, paging ends at totalResults", async () => {
    await withSortedApi(async (server, client) => {
      let count = 0;
      for await (const page of client.searchAll("cat:cs.LG", { pageSize: 2, sortBy: "submittedDate" })) {
        count += page.records.length;
      }
      assert.equal(count, 5);
      assert.equal(server.requests.length, 3);
    });
  });
});

describe("ArxivApiClient under faults", () => {
  test("503 with Retry-After: waits exactly that long, then succeeds", async () => {
    await withApi(async ({ client, server, clock, limiter, t0 }) => {
      server.inject(() => true, { status: 503, headers: { "retry-after": "7" }, body: "busy" });
      const { records } = await client.fetchByIds(["1605.08386"]);
      assert.equal(records.length, 1);
      assert.deepEqual(clock.sleeps, [7000]);
      assert.deepEqual(limiter.starts, [t0, t0 + 7000]);
      assert.equal(server.requests.length, 2);
    });
  });

  test("a request that hangs past the timeout is retried after back-off and the limiter's spacing", async () => {
    await withApi(
      async ({ client, server, clock, limiter, t0 }) => {
        server.inject(() => true, { hang: true });
        const { records } = await client.fetchByIds(["1605.08386"]);
        assert.equal(records.length, 1);
        // Back-off of 500 ms (1 s base, jitter pinned at its low end), then the limiter waits out the 3 s.
        assert.deepEqual(clock.sleeps, [500, 2500]);
        assert.deepEqual(limiter.starts, [t0, t0 + 3000]);
        assert.equal(server.requests.length, 2);
      },
      { timeoutMs: 200 },
    );
  });

  test("a connection cut mid-body is retried and the whole page comes back", async () => {
    await withApi(async ({ client, server }) => {
      server.inject(isQuery(0, 10), { body: recordedBody("q_testing_s0_m10_"), truncate: true });
      const page = await client.search("testing", { maxResults: 10 });
      assert.equal(page.records.length, 10);
      assert.equal(server.requests.length, 2);
    });
  });

  test("a body cut short but delivered as complete is a parse error, never a partial page", async () => {
    await withApi(async ({ client, server }) => {
      const body = recordedBody("q_testing_s0_m10_");
      server.inject(isQuery(0, 10), { body: body.slice(0, Math.floor(body.length / 2)) });
      await assert.rejects(client.search("testing", { maxResults: 10 }), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.kind, "parse");
        assert.match(error.message, /malformed XML/);
        return true;
      });
      assert.equal(server.requests.length, 1);
    });
  });

  test("malformed entries become problems with reasons; the good ones come back", async () => {
    await withApi(async ({ client, server }) => {
      const body = recordedBody("q_testing_s0_m10_")
        .replace("<published>2022-02-24T15:05:19Z</published>", "<published>yesterday</published>")
        .replace("<id>http://arxiv.org/abs/2405.13786v1</id>", "<id>http://arxiv.org/abs/not-an-id</id>")
        .replace(
          /(<id>http:\/\/arxiv\.org\/abs\/1202\.4527v1<\/id>\s*)<title>[^<]*<\/title>/,
          "$1<title> </title>",
        );
      server.inject(isQuery(0, 10), { body });
      const page = await client.search("testing", { maxResults: 10 });
      assert.equal(page.records.length, 7);
      assert.equal(page.problems.length, 3);
      assert.equal(page.problems[0]?.id, "2202.12139");
      assert.match(page.problems[0]?.reason ?? "", /^published: not a date-time: "yesterday"/);
      assert.equal(page.problems[1]?.id, "http://arxiv.org/abs/not-an-id");
      assert.match(page.problems[1]?.reason ?? "", /^id: not an arXiv id/);
      assert.deepEqual(page.problems[2], { id: "1202.4527", reason: "title: empty" });
    });
  });
});

describe("ArxivApiClient spacing", () => {
  test("concurrent callers on two clients sharing one limiter are spaced 3 s apart, one request at a time", async () => {
    await withApi(async ({ client, server, clock, limiter, t0 }) => {
      const other = new ArxivApiClient({ baseUrl: `${server.url}${ARXIV_API_PATH}`, limiter, clock });
      const ids = ["1605.08386", "1707.08567", "2104.12255v1", "astro-ph/0601001", "quant-ph/0201082v1"];
      const results = await Promise.all([
        ...ids.map((id) => client.fetchByIds([id])),
        other.search("testing", { maxResults: 10 }),
      ]);
      assert.equal(results.length, 6);
      assert.deepEqual(
        limiter.starts,
        [0, 1, 2, 3, 4, 5].map((i) => t0 + 3000 * i),
      );
      assert.equal(server.requests.length, 6);
      assert.equal(server.maxInFlight, 1);
    });
  });

  test("the in-flight check catches a client that does not wait (control)", async () => {
    const server = await startFakeArxivApi();
    try {
      const url = `${server.url}${ARXIV_API_PATH}?search_query=&id_list=1605.08386&sortBy=relevance&sortOrder=descending&start=0&max_results=100`;
      await Promise.all([1, 2, 3].map(() => fetch(url).then((r) => r.text())));
      assert.ok(server.maxInFlight > 1);
      assert.deepEqual(server.unplanned, []);
    } finally {
      await server.close();
    }
  });
});

describe("parseAtomFeed on documents arXiv should never send (found by test/fuzz)", () => {
  const feed = (counts: string, body = "") =>
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${counts}${body}</feed>`;
  const counts = (total: string) =>
    `<opensearch:totalResults>${total}</opensearch:totalResults><opensearch:startIndex>0</opensearch:startIndex>` +
    "<opensearch:itemsPerPage>10</opensearch:itemsPerPage>";
  const refused = (xml: string, why: RegExp) =>
    assert.throws(
      () => parseAtomFeed(xml, "http://x/api"),
      (error: unknown) => error instanceof SourceError && error.kind === "parse" && why.test(error.message),
    );

  test("XML the parser refuses although it is well formed is a parse SourceError, not a bare Error", () => {
    refused(feed(counts("1"), `${"<a>".repeat(200)}${"</a>".repeat(200)}`), /Maximum nested tags/);
    refused(feed(counts("1"), "<entry><constructor/></entry>"), /unreadable XML/);
  });

  test("an empty or non-decimal paging count is refused, not read as a number", () => {
    for (const total of ["", " ", "1e3", "0x10", "-1"])
      refused(feed(counts(total)), /opensearch:totalResults/);
    assert.equal(parseAtomFeed(feed(counts(" 42 ")), "http://x/api").totalResults, 42);
  });
});
