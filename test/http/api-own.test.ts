import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, cats, id } from "../helpers/factories.ts";
import { ingestRecordedDays } from "../helpers/hf-days.ts";
import { buildTestEngine, searchPapers } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";
import { useTestSite } from "../helpers/web-fixtures.ts";

const DAYS = ["2026-08-19", "2026-08-20", "2026-08-21"];

describe("Paperboy's own API and the OpenAPI document", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await ingestRecordedDays(store, DAYS);
    web = createTestApp(store);
    web.setNow("2026-08-22T06:00:00Z");
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  const getJson = async <T>(path: string, status = 200): Promise<T> => {
    const res = await web.request(path);
    assert.equal(
      res.status,
      status,
      `${path}: ${res.status} ${res.status !== status ? await res.clone().text() : ""}`,
    );
    return (await res.json()) as T;
  };

  test("trending gives scores in order, the window and the formula", async () => {
    const body = await getJson<{
      papers: { paper: { id: string }; score: number }[];
      window: { start: string; end: string };
      params: { gravity: number };
      formula: string;
      total: number;
    }>("/api/trending?limit=10");
    assert.equal(body.papers.length, 10);
    const scores = body.papers.map((p) => p.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.deepEqual(body.window, { start: "2026-08-15", end: "2026-08-21" });
    assert.equal(body.params.gravity, 1.5);
    assert.match(body.formula, /gravity/);
  });

  test("author and category lists page through the papers", async () => {
    const author = await getJson<{
      papers: { paper: { id: string; authors: { name: string }[] } }[];
      total: number;
    }>("/api/authors/chengsong%20huang/papers");
    assert.ok(author.total >= 1);
    assert.ok(author.papers.every((p) => p.paper.authors.some((a) => a.name === "Chengsong Huang")));
    const top = await getJson<{ papers: { paper: { upvotes: number } }[] }>(
      "/api/authors/Chengsong%20Huang/papers?sort=top",
    );
    assert.equal(top.papers[0]?.paper.upvotes, 163);
    const bad = await getJson<{ error: { field: string } }>("/api/categories/not%20a%20category/papers", 400);
    assert.equal(bad.error.field, "category");
  });

  test("hybrid search with filters presents HF-shaped papers with snippets", async () => {
    const body = await getJson<{
      results: { paper: { id: string; title: string }; snippet: { text: string; match: boolean }[] }[];
      total: number;
      page: number;
    }>("/api/search?q=environment&per_page=5");
    assert.ok(body.total >= 1);
    assert.ok(body.results.some((r) => r.paper.id === "2608.19880"));
    assert.ok(body.results.every((r) => r.snippet.length > 0));
    const since = await getJson<{ results: unknown[] }>("/api/search?q=environment&since=2030-01-01");
    assert.deepEqual(since.results, []);
    const bad = await getJson<{ error: { field: string } }>("/api/search?q=x&since=yesterday", 400);
    assert.equal(bad.error.field, "since");
  });

  test("HF-compatible search returns daily entries", async () => {
    const hits = await getJson<{ paper: { id: string }; numComments: number }[]>(
      "/api/papers/search?q=EnvHarness",
    );
    assert.equal(hits[0]?.paper.id, "2608.19880");
    const missing = await getJson<{ error: { field: string } }>("/api/papers/search", 400);
    assert.equal(missing.error.field, "q");
  });

  test("similar papers never include the paper itself", async () => {
    const body = await getJson<{ id: string; similar: { paper: { id: string } }[] }>(
      "/api/papers/2608.19880/similar?limit=3",
    );
    assert.equal(body.id, "2608.19880");
    assert.ok(body.similar.length <= 3);
    assert.ok(body.similar.every((s) => s.paper.id !== "2608.19880"));
    await getJson("/api/papers/2101.00001/similar", 404);
  });

  test("old-style ids work with a plain or an encoded slash", async () => {
    await store.ingest({
      papers: [buildArxivRecord({ id: id("hep-th/9901001"), title: "Strings", categories: cats("hep-th") })],
    });
    const plain = await getJson<{ id: string }>("/api/papers/hep-th/9901001");
    assert.equal(plain.id, "hep-th/9901001");
    const encoded = await getJson<{ id: string }>("/api/papers/hep-th%2F9901001v2");
    assert.equal(encoded.id, "hep-th/9901001");
    const similar = await getJson<{ id: string }>("/api/papers/hep-th/9901001/similar");
    assert.equal(similar.id, "hep-th/9901001");
  });

  test("the OpenAPI 3.1 document lists every operation with its parameters and error shape", async () => {
    const doc = await getJson<{
      openapi: string;
      servers: { url: string }[];
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            parameters: { name: string; in: string }[];
            responses: Record<string, unknown>;
          }
        >
      >;
    }>("/api/openapi.json");
    assert.equal(doc.openapi, "3.1.0");
    assert.equal(doc.servers[0]?.url, "http://paperboy.test/api");
    const daily = doc.paths["/daily_papers"]?.get;
    assert.deepEqual(daily?.parameters.map((p) => p.name).sort(), [
      "category",
      "date",
      "limit",
      "month",
      "p",
      "sort",
      "submitter",
      "week",
    ]);
    assert.ok(daily?.responses["400"]);
    const paper = doc.paths["/papers/{id}"]?.get;
    assert.deepEqual(paper?.parameters, [
      { name: "id", in: "path", required: true, schema: { type: "string", maxLength: 200 } },
    ]);
    const vote = doc.paths["/papers/{id}/vote"]?.put as unknown as {
      requestBody: unknown;
      security: unknown[];
    };
    assert.ok(vote.requestBody);
    assert.deepEqual(vote.security, [{ bearerToken: [] }, { sessionCookie: [] }]);
    for (const path of ["/papers/search", "/papers/{id}/similar", "/search", "/trending"]) {
      assert.ok(doc.paths[path]?.get, path);
    }
    // Every documented GET answers something other than "no such endpoint".
    for (const path of Object.keys(doc.paths).filter((p) => doc.paths[p]?.get)) {
      const concrete = path
        .replace("{id}", "2608.19880")
        .replace("{name}", "x")
        .replace("{category}", "cs.LG");
      const res = await web.request(`/api${concrete}?q=agents`);
      assert.notEqual(res.status, 404, concrete);
    }
  });
});

describe("/api/search with the search engine built", () => {
  const site = useTestSite("sqlite", { seed: false });
  before(async () => {
    await site.store.ingest({ papers: searchPapers() });
    await buildTestEngine(site.store, site.web.deps.config.dataDir);
  });

  interface SearchBody {
    results: { paper: { id: string } }[];
    total: number;
    perPage: number;
    mode: string;
    filters: { categories?: string[] };
    suggestion: string | null;
    correctedFrom: string | null;
    typedHasResults: boolean;
  }
  const search = async (query: string): Promise<SearchBody> => {
    const res = await site.web.request(`/api/search?${query}`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as SearchBody;
  };

  test("a query that finds nothing answers with its suggestion's papers and says which query it corrected", async () => {
    const body = await search("q=protien+foldng&mode=keyword&category=q-bio.BM&per_page=3");
    assert.equal(body.correctedFrom, "protien foldng");
    assert.equal(body.suggestion, "protein folding");
    assert.deepEqual(
      body.results.map((r) => r.paper.id),
      ["2401.00015", "2401.00014", "2401.00013"],
    );
    assert.equal(body.total, 6);
    assert.equal(body.perPage, 3);
    assert.equal(body.mode, "keyword");
    assert.deepEqual(body.filters.categories, ["q-bio.BM"]);

    assert.equal(body.typedHasResults, false);

    const found = await search("q=protein+strucure+prediction&mode=keyword");
    assert.equal(found.correctedFrom, "protein strucure prediction", "the typed query finds papers too");
    assert.equal(found.suggestion, "protein structure prediction");
    assert.equal(found.typedHasResults, true);
    assert.equal(found.results[0]?.paper.id, "2401.00013");
    const asTyped = await search("q=protein+strucure+prediction&mode=keyword&as_typed=true");
    assert.equal(asTyped.correctedFrom, null);
    assert.equal(asTyped.suggestion, "protein structure prediction");
    const same = await search("q=protein+prediction&mode=keyword");
    assert.deepEqual(
      asTyped.results.map((r) => r.paper.id),
      same.results.map((r) => r.paper.id),
      "the typed words no paper uses add nothing",
    );
    const one = await search("q=protein+strucure+prediction&mode=keyword&as_typed=1");
    assert.equal(one.correctedFrom, null, "as_typed=1 means the same");

    const neither = await search("q=protien+foldng&mode=keyword&category=cs.CV");
    assert.equal(neither.correctedFrom, null);
    assert.equal(neither.suggestion, "protein folding");
    assert.deepEqual(neither.results, []);
  });

  test("pathological queries answer 200 with a note, on /api/search, the Hugging Face search and feeds", async () => {
    const cases: Array<[string, RegExp]> = [
      ["models ".repeat(1_500), /shortened to its first 2,000 characters/],
      [
        Array.from({ length: 500 }, (_, i) => `w${i.toString(36)}x`).join(" "),
        /shortened to its first 64 words/,
      ],
      ['"merging "models "of weights', /An unmatched quote was ignored/],
    ];
    for (const [q, note] of cases) {
      for (const extra of ["", "&sort=date", "&mode=vector&sort=upvotes"]) {
        const res = await site.web.request(`/api/search?q=${encodeURIComponent(q)}${extra}`);
        assert.equal(res.status, 200, extra);
        const body = (await res.json()) as { notes: string[] };
        assert.match(body.notes.join(" "), note, extra);
      }
      const hf = await site.web.request(`/api/papers/search?q=${encodeURIComponent(q)}`);
      assert.equal(hf.status, 200);
      const feed = await site.web.request(`/feeds/search.atom?q=${encodeURIComponent(`${q}😀`.repeat(2))}`);
      assert.equal(feed.status, 200);
    }
    const operators = await site.web.request(`/api/search?q=${encodeURIComponent("AND OR NOT ( ) * ^ :")}`);
    assert.equal(operators.status, 200);
    const body = (await operators.json()) as { problem: string | null; results: unknown[] };
    assert.match(body.problem ?? "", /only common words/);
    assert.deepEqual(body.results, []);
  });

  test("a query that is an author's name carries the author, with their page", async () => {
    const res = await site.web.request("/api/search?q=Grace+Hopper");
    const body = (await res.json()) as { author: Record<string, unknown> | null };
    assert.deepEqual(body.author, {
      name: "Grace Hopper",
      papers: 6,
      url: "/authors/Grace%20Hopper",
      api: "/api/authors/Grace%20Hopper/papers",
    });
    const topic = (await (await site.web.request("/api/search?q=merging+models")).json()) as { author: null };
    assert.equal(topic.author, null);
  });

  test("sorted searches keep the mode and count only the papers that answer", async () => {
    const words = await search("q=merging+models&sort=date&mode=keyword&per_page=100");
    const hybrid = await search("q=merging+models&sort=date&per_page=100");
    assert.equal(words.mode, "keyword");
    assert.equal(hybrid.mode, "hybrid");
    assert.equal(words.total, words.results.length);
    assert.ok(words.total > 0 && hybrid.total >= words.total);
    const any = await search("q=merging+models&mode=keyword&per_page=100");
    assert.ok(any.total > words.total, "relevance still finds papers with any of the words");
    const feed = await (await site.web.request("/feeds/search.rss?q=merging+models")).text();
    const titles = [...feed.matchAll(/<item><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    assert.ok(titles.length > 0 && titles.length <= hybrid.total, feed);
  });

  test("the Hugging Face search and search feeds answer the words as typed, never a correction", async () => {
    const hf = await site.web.request("/api/papers/search?q=protien+foldng");
    assert.equal(hf.status, 200);
    assert.deepEqual(await hf.json(), [], "as Hugging Face would: nothing has these words");
    const feed = await site.web.request("/feeds/search.rss?q=protien+foldng");
    assert.equal(feed.status, 200);
    const xml = await feed.text();
    assert.match(xml, /protien foldng/);
    assert.doesNotMatch(xml, /<item>/, "a feed subscribed to a query gets that query's papers");
    const right = await (await site.web.request("/feeds/search.rss?q=protein+folding")).text();
    assert.match(right, /<item>/);
  });

  test("the OpenAPI document describes correctedFrom", async () => {
    const res = await site.web.request("/api/openapi.json");
    const doc = (await res.json()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };
    const ok = doc.paths["/search"]?.get.responses["200"] as {
      content: { "application/json": { schema: { properties: Record<string, { description?: string }> } } };
    };
    const properties = ok.content["application/json"].schema.properties;
    assert.match(properties.correctedFrom?.description ?? "", /found no papers/);
    assert.match(properties.typedHasResults?.description ?? "", /as_typed=true/);
    assert.match(properties.suggestion?.description ?? "", /did you mean/);
  });
});
