import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseIsoDate as day } from "../../src/core/dates.ts";
import type { ArxivId, PaperRecord } from "../../src/core/index.ts";
import type { SearchFilters } from "../../src/core/search-query.ts";
import { silentLogger } from "../../src/log.ts";
import { FacetIndex, hasBit } from "../../src/search/facets.ts";
import { updateDelta } from "../../src/search/service/delta.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import { createSearchService, type SearchService } from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { cats, ts } from "../helpers/factories.ts";
import {
  buildTestEngine,
  newerPaper,
  type SharedSearchStore,
  searchPapers,
  sharedSearchFiles,
  sharedSearchStore,
} from "../helpers/search-papers.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

/**
 * Filters evaluated inside the service on the engine's facets (`search/facets.ts`, `engine-facets.ts`) against
 * the store's own filters (`store/search/filters.ts`), on the shared data: arXiv's metadata snapshot (physics,
 * many archives, TeX-accented names) and two months of Hugging Face daily papers (accented names, cs.*).
 */
const { hfFiles } = sharedSearchFiles();

/** Author names as the daily files spell them: accented ones, and the most frequent. */
function authorNames(): { accented: string[]; frequent: string[] } {
  const count = new Map<string, number>();
  for (const f of hfFiles) {
    for (const e of JSON.parse(readFileSync(f, "utf8")) as { paper: { authors?: { name: string }[] } }[]) {
      for (const a of e.paper.authors ?? []) count.set(a.name, (count.get(a.name) ?? 0) + 1);
    }
  }
  const names = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n);
  return {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
    accented: names.filter((n) => /[^\u0000-\u007f]/.test(n) && n.split(" ").length >= 2).slice(0, 4),
    frequent: names.filter((n) => n.split(" ").length >= 2).slice(0, 4),
  };
}

/** The forms a reader types: the name, its last word, initials and last name, lower case without accents. */
function nameForms(name: string): string[] {
  const words = name.split(" ");
  const last = words[words.length - 1] as string;
  const initials = words
    .slice(0, -1)
    .map((w) => `${w[0]}.`)
    .join(" ");
  const plain = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  return [name, last, `${initials} ${last}`, `${words[0]} ${last}`, plain];
}

function filterCases(): SearchFilters[] {
  const { accented, frequent } = authorNames();
  const authors = [...accented, ...frequent].flatMap(nameForms);
  const out: SearchFilters[] = [
    { categories: ["cs.LG"] },
    { categories: ["cs.CV"] },
    { categories: ["cs.CL", "cs.AI"] },
    { categories: ["astro-ph"] },
    { categories: ["hep-th", "gr-qc", "quant-ph"] },
    { categories: ["cond-mat"] },
    { categories: ["math"] },
    { categories: ["cs"] },
    { categories: ["math.MP", "physics.acc-ph"] },
    { since: day("2024-06-01") },
    { until: day("2000-12-31") },
    { since: day("1995-01-01"), until: day("1999-12-31") },
    { since: day("2024-06-03"), until: day("2024-06-03") },
    { since: day("2024-05-20"), until: day("2024-06-15"), categories: ["cs.CV", "cs.CL"] },
    { authors: ["Wang"], categories: ["cs"] },
    { authors: ["J. Wang"] },
    { authors: ["Wang", "Liu"] },
    { authors: ["Ghisellini"], until: day("2001-01-01") },
  ];
  for (const a of authors) out.push({ authors: [a] });
  const [first, second] = frequent;
  if (first !== undefined)
    out.push({ authors: [first], categories: ["cs.CV", "cs.LG"], since: day("2024-06-01") });
  if (first !== undefined && second !== undefined) out.push({ authors: [first, second] });
  return out;
}

const QUERIES = [
  "neural networks",
  "magnetic field",
  "quantum",
  "video generation",
  "language models reasoning",
  "black hole",
  '"large language models"',
  "diffusion -video",
  "dark matter halo",
  "image",
];

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`filters on the engine's facets agree with the store (${kind})`, () => {
    let shared: SharedSearchStore;
    let store: Store;
    let viaStore: SearchService;
    let viaFacets: SearchService;
    const filters = filterCases();

    before(async () => {
      shared = await sharedSearchStore(kind);
      store = shared.store;
      const common = { store, dataDir: shared.dataDir, checkIntervalMs: 60_000, recountIntervalMs: 0 };
      viaStore = createSearchService({ ...common, facets: false });
      viaFacets = createSearchService(common);
    });
    after(() => shared.close());

    test("every paper: the facets pass exactly the papers the store's filters pass", async () => {
      const ids: string[] = [];
      const index = await FacetIndex.build(1_000_000, async (add) => {
        let after: string | null = null;
        for (;;) {
          const page = await store.search.facetPage(after, 500);
          if (page.length === 0) break;
          after = (page[page.length - 1] as { id: string }).id;
          for (const row of page) add(ids.push(row.id) - 1, row);
        }
      });
      assert.equal(ids.length, (await store.stats()).papers);
      let nonEmpty = 0;
      for (const f of filters) {
        const bits = index.matching(f);
        const mine = ids.filter((_, doc) => hasBit(bits, doc));
        const theirs = await store.search.passing(ids as ArxivId[], f);
        assert.deepEqual(mine, theirs, JSON.stringify(f));
        if (mine.length > 0 && mine.length < ids.length) nonEmpty++;
      }
      assert.ok(
        nonEmpty >= filters.length * 0.8,
        `${nonEmpty} of ${filters.length} filters select some papers`,
      );
      // The same filter again comes from the cache, with the same answer.
      assert.equal(index.matching(filters[0] as SearchFilters), index.matching({ ...filters[0] }));
    });

    test("relevance searches with filters: the same papers in the same order, and totals", async () => {
      assert.equal((await viaFacets.status()).serving, null, "nothing loaded before the first search");
      let withHits = 0;
      for (const mode of ["hybrid", "keyword", "vector"] as const) {
        for (const q of QUERIES) {
          for (const f of filters) {
            for (const page of [1, 2]) {
              const query = { q, mode, filters: f, page, perPage: 10, spelling: "off" as const };
              const [a, b] = await Promise.all([viaStore.search(query), viaFacets.search(query)]);
              const what = `${mode} ${q} ${JSON.stringify(f)} page ${page}`;
              assert.deepEqual(
                b.hits.map((h) => h.paper.id),
                a.hits.map((h) => h.paper.id),
                what,
              );
              assert.equal(b.total, a.total, what);
              assert.equal(b.mode, a.mode, what);
              if (a.hits.length > 0) withHits++;
            }
          }
        }
      }
      assert.ok(withHits > 200, `${withHits} filtered pages with hits compared`);
      assert.equal((await viaFacets.status()).serving?.facets, true);
      assert.equal((await viaStore.status()).serving?.facets, false);
    });

    test("filters written in the query text go the same way", async () => {
      for (const q of [
        "neural networks cat:cs.LG",
        "galaxy cat:astro-ph since:1998-01-01",
        "model author:Wang cat:cs.CV",
        "quantum cat:quant-ph cat:hep-th until:1999-06-30",
      ]) {
        const [a, b] = await Promise.all([viaStore.search({ q }), viaFacets.search({ q })]);
        assert.deepEqual(
          b.hits.map((h) => h.paper.id),
          a.hits.map((h) => h.paper.id),
          q,
        );
        assert.equal(b.total, a.total, q);
      }
    });
  });
}

describe("filters on the facets of a delta segment (sqlite)", () => {
  let db: TestDatabase;
  let store: Store;
  let dataDir: string;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    dataDir = mkdtempSync(join(tmpdir(), "paperboy-facets-delta-"));
    await store.ingest({ papers: searchPapers() });
    await buildTestEngine(store, dataDir);
  });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("new and changed papers are filtered by the facets the delta was loaded with", async () => {
    const common = { store, dataDir, checkIntervalMs: 0, recountIntervalMs: 0 };
    const viaFacets = createSearchService(common);
    await viaFacets.search({ q: "adaptation cat:cs.LG" });
    // Stored after the build: a new paper, and a changed one (new version with a new category and author).
    const changed = searchPapers()[0] as PaperRecord;
    const v2 = ts("2024-03-01T12:00:00Z");
    await store.ingest({
      papers: [
        newerPaper(25),
        {
          ...changed,
          categories: cats("stat.ML"),
          authors: ["Émilie du Châtelet"],
          versions: [...changed.versions, { version: 2, date: v2 }],
        },
      ],
    });
    const files = new EngineFiles(dataDir);
    const read = files.readManifest();
    assert.equal(read.kind, "ok");
    await updateDelta({
      store,
      files,
      manifest: (read as { manifest: EngineManifest }).manifest,
      logger: silentLogger,
    });
    const viaStore = createSearchService({ ...common, facets: false });
    let serving = null;
    for (let i = 0; i < 50 && (serving === null || serving.delta === null); i++) {
      await viaFacets.search({ q: "adaptation" });
      serving = (await viaFacets.status()).serving ?? null;
      if (serving?.delta === null) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(serving?.delta, "the delta is searched");
    assert.equal(serving?.facets, true);
    const found = async (service: SearchService, q: string) =>
      (await service.search({ q, spelling: "off" })).hits.map((h) => h.paper.id as string);
    for (const q of [
      "adaptation cat:stat.ML",
      'adaptation author:"Emilie du Chatelet"',
      "adaptation author:chatelet",
      "adaptation cat:cs.LG",
      "adaptation author:Lovelace",
      "zebrafish cat:q-bio",
      "zebrafish since:2024-02-01",
      "zebrafish until:2024-01-31",
    ]) {
      assert.deepEqual(await found(viaFacets, q), await found(viaStore, q), q);
    }
    assert.deepEqual(await found(viaFacets, "adaptation cat:stat.ML"), [changed.id]);
    assert.ok(!(await found(viaFacets, "adaptation cat:cs.LG")).includes(changed.id));
    assert.deepEqual(await found(viaFacets, "zebrafish since:2024-02-01"), ["2402.00025"]);
    // A filter no query could carry is refused on both paths, as the store refuses it.
    for (const service of [viaFacets, viaStore]) {
      await assert.rejects(
        service.search({ q: "adaptation", filters: { categories: ["no such; category"] } }),
        {
          code: "invalid_category",
        },
      );
    }
  });
});
