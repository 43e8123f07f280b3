import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId, PaperRecord } from "../../src/core/index.ts";
import { createSearchService, type SearchService } from "../../src/search/service/index.ts";
import type { PaperQuery, PaperResults } from "../../src/search/service/types.ts";
import type { Store } from "../../src/store/store.ts";
import { makeUser } from "../helpers/community.ts";
import { buildArxivRecord, cats, id, ts } from "../helpers/factories.ts";
import { newerPaper, type SharedSearchStore, sharedSearchStore } from "../helpers/search-papers.ts";
import type { StoreKind } from "../helpers/stores.ts";

/**
 * Searches sorted by date or upvotes in process (`search/service/sorted-index.ts`: the store gives only the
 * match set) against the store's own sort (`sortKeys: false`): the same papers in the same order, totals,
 * notes, scores and upvotes, on the shared data (arXiv's snapshot, with its withdrawn papers, and two months of
 * Hugging Face daily papers with their upvotes), including papers stored after the engine and the keys were
 * loaded, a paper withdrawn since, and a vote cast just before the search.
 */

const QUERIES = [
  "neural networks",
  "magnetic field",
  "quantum",
  "model",
  "the",
  "video generation",
  "language models reasoning",
  "black hole",
  '"large language models"',
  '"dark matter"',
  "diffusion -video",
  "learning -neural",
  "dark matter halo",
  "image",
  "zebrafish",
  "spin dynamics",
  "superconductivity",
];

/** What a reader sees of a page. */
function shown(r: PaperResults) {
  return {
    ids: r.hits.map((h) => h.paper.id),
    total: r.total,
    notes: r.notes,
    problem: r.problem,
    mode: r.mode,
    scores: r.hits.map((h) => h.score),
    upvotes: r.hits.map((h) => h.upvotes),
    titles: r.hits.map((h) => h.title),
  };
}

/** A paper about zebrafish stored after everything was loaded; `withdrawn` gives it a withdrawal notice. */
function lateZebrafish(n: number, withdrawn = false): PaperRecord {
  const date = ts(`2024-0${(n % 8) + 1}-10T08:00:00Z`);
  return buildArxivRecord({
    id: id(`2405.${String(n).padStart(5, "0")}`),
    title: `Zebrafish heart regeneration ${n}`,
    abstract: "Zebrafish regenerate their heart after injury; we map the cells that do it.",
    comments: withdrawn ? "This paper has been withdrawn by the author due to an error" : "9 pages",
    authors: ["Santiago Ramón y Cajal"],
    categories: cats("q-bio.CB"),
    // The withdrawal comes with a new version, as arXiv records it.
    versions: withdrawn
      ? [
          { version: 1, date },
          { version: 2, date: ts("2024-09-01T08:00:00Z") },
        ]
      : [{ version: 1, date }],
    publishedAt: date,
  });
}

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`sorts by date and upvotes in process agree with the store (${kind})`, () => {
    let shared: SharedSearchStore;
    let store: Store;
    let viaStore: SearchService;
    let viaKeys: SearchService;

    /** Both paths, compared; the in-process one must have answered (not fallen back to the store's). */
    const compare = async (query: PaperQuery): Promise<PaperResults> => {
      const a = await viaStore.search(query);
      const answered = (await viaKeys.status()).sortKeys?.answered ?? 0;
      const b = await viaKeys.search(query);
      assert.deepEqual(shown(b), shown(a), JSON.stringify(query));
      const inProcess = query.sort !== "relevance" && !/:/.test(query.q ?? "") && b.problem === null;
      const now = (await viaKeys.status()).sortKeys?.answered ?? 0;
      assert.equal(now > answered, inProcess, `answered in process: ${JSON.stringify(query)}`);
      return b;
    };

    before(async () => {
      shared = await sharedSearchStore(kind);
      store = shared.store;
      // Stored after the engine was built.
      await store.ingest({ papers: [newerPaper(25)] });
      const common = { store, dataDir: shared.dataDir, checkIntervalMs: 60_000, recountIntervalMs: 0 };
      viaStore = createSearchService({ ...common, sortKeys: false });
      viaKeys = createSearchService({ ...common, sortKeys: "wait" });
      await viaKeys.search({ q: "quantum", sort: "date", mode: "keyword" });
      assert.equal((await viaKeys.status()).sortKeys?.papers, (await store.stats()).papers);
      assert.equal((await viaStore.status()).sortKeys, null);
    });
    after(() => shared.close());

    test("many queries, both sorts, keyword and hybrid, pages 1-3 and past the end", async () => {
      let withHits = 0;
      let deep = 0;
      for (const mode of ["keyword", "hybrid"] as const) {
        for (const sort of ["date", "upvotes"] as const) {
          for (const q of QUERIES) {
            for (const page of [1, 2, 3]) {
              const r = await compare({ q, mode, sort, page, perPage: 10, spelling: "off" });
              if (r.hits.length > 0) withHits++;
            }
            const last = await compare({ q, mode, sort, page: 40, perPage: 100, spelling: "off" });
            assert.equal(last.hits.length, 0);
            const tooDeep = await compare({ q, mode, sort, page: 102, perPage: 100, spelling: "off" });
            if (tooDeep.problem === null) {
              assert.ok(
                tooDeep.notes.some((n) => n.startsWith("Only the first")),
                q,
              );
              deep++;
            }
          }
        }
      }
      assert.ok(withHits > 100, `${withHits} pages with hits compared`);
      assert.ok(deep >= 4 * (QUERIES.length - 1), `${deep} pages past the deepest offset`);
    });

    test("upvotes come from Hugging Face: the upvotes sort is not the date sort", async () => {
      const byVotes = await compare({ q: "language models", sort: "upvotes", mode: "keyword" });
      const byDate = await compare({ q: "language models", sort: "date", mode: "keyword" });
      assert.ok((byVotes.hits[0]?.upvotes ?? 0) > 0);
      assert.notDeepEqual(
        byVotes.hits.map((h) => h.paper.id),
        byDate.hits.map((h) => h.paper.id),
      );
    });

    test("filters keep the store's path and agree", async () => {
      for (const q of ["quantum cat:quant-ph", "model since:2024-01-01", "neural networks author:Wang"]) {
        for (const sort of ["date", "upvotes"] as const) await compare({ q, sort, mode: "keyword" });
      }
    });

    test("withdrawn papers are left out, also one withdrawn after the keys were loaded", async () => {
      // The snapshot's withdrawn papers: their titles' words find them, the results leave them out.
      const withdrawnId = "0704.0156" as ArxivId;
      const paper = await store.getPaper(withdrawnId);
      assert.ok(paper?.withdrawnAt, "the snapshot paper is withdrawn");
      const words = paper.title.split(/\s+/).slice(0, 2).join(" ");
      for (const sort of ["date", "upvotes"] as const) {
        const r = await compare({ q: words, sort, mode: "keyword", perPage: 100 });
        assert.ok(!r.hits.some((h) => h.paper.id === withdrawnId));
      }
      await store.ingest({ papers: [lateZebrafish(1), lateZebrafish(2)] });
      const before = await compare({ q: "zebrafish", sort: "date", mode: "keyword" });
      assert.ok(before.hits.some((h) => h.paper.id === "2405.00002"));
      await store.ingest({ papers: [lateZebrafish(2, true)] });
      for (const sort of ["date", "upvotes"] as const) {
        const r = await compare({ q: "zebrafish", sort, mode: "keyword" });
        assert.ok(!r.hits.some((h) => h.paper.id === "2405.00002"), "withdrawn since the load");
        assert.ok(
          r.hits.some((h) => h.paper.id === "2405.00001"),
          "stored since the load",
        );
        assert.ok(
          r.hits.some((h) => h.paper.id === "2402.00025"),
          "newer than the engine",
        );
      }
    });

    test("a vote cast just before the search counts", async () => {
      const query = { q: "quantum", sort: "upvotes" as const, mode: "keyword" as const, perPage: 20 };
      const first = await compare(query);
      // A paper with no upvotes, deep in the list: one vote lifts it above every paper with none.
      const target = (await compare({ ...query, page: 3 })).hits.find((h) => h.upvotes === 0);
      assert.ok(target, "a paper without upvotes on page 3");
      const user = await makeUser(store);
      await store.community.setVote(user.id, target.paper.id, true);
      const after = await compare({ ...query, perPage: 100 });
      const hit = after.hits.find((h) => h.paper.id === target.paper.id);
      assert.equal(hit?.upvotes, 1);
      assert.equal(after.total, first.total);
      await store.community.setVote(user.id, target.paper.id, false);
      const undone = await compare({ ...query, perPage: 100 });
      assert.equal(undone.hits.find((h) => h.paper.id === target.paper.id)?.upvotes ?? 0, 0);
    });
  });
}
