/**
 * Withdrawn papers (migration 0018): the store learns it from a version whose comments or abstract say so,
 * marks papers already stored when it migrates, and leaves them out of its keyword search; the search engine
 * masks them (delta) or never indexes them (full build); the paper page still shows them, labelled.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { isWithdrawalNotice, type PaperRecord } from "../../src/core/index.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import { createSearchService } from "../../src/search/service/index.ts";
import { parseSnapshotRecord } from "../../src/sources/arxiv/snapshot.ts";
import { migrationProvider } from "../../src/store/migrations.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, cats, id, ts } from "../helpers/factories.ts";
import { shared } from "../helpers/paths.ts";
import { servingNow, workerUpdate } from "../helpers/replicas.ts";
import { countStoreSearches, newerPaper, searchPapers } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp } from "../helpers/web.ts";

/** The real arXiv records with a withdrawal notice among the 1,130 of the shared snapshot. */
const WITHDRAWN_IN_SNAPSHOT = [
  "0704.0156",
  "0704.0213",
  "0704.0374",
  "0704.0480",
  "0704.0525",
  "0704.0615",
  "0704.0644",
  "0704.0840",
  "0906.3336",
  "2101.10016",
];

function snapshotRecords(): PaperRecord[] {
  return readFileSync(shared("arxiv-abs", "arxiv-metadata-snapshot.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => parseSnapshotRecord(JSON.parse(line)));
}

/** A paper in versions: v1 plain, v2 withdrawn, v3 back (each record carries the versions so far). */
function versioned(n: 1 | 2 | 3): PaperRecord {
  const dates = [ts("2024-03-01T10:00:00Z"), ts("2024-03-05T10:00:00Z"), ts("2024-03-09T10:00:00Z")];
  return buildArxivRecord({
    id: id("2403.00777"),
    title: "Quasicrystal tilings of hyperbolic manifolds",
    abstract: "We construct quasicrystal tilings of hyperbolic manifolds from cut-and-project sets.",
    comments: n === 2 ? "This paper has been withdrawn by the author due to an error in Lemma 3" : "12 pages",
    authors: ["Roger Penrose"],
    categories: cats("math.GT"),
    versions: dates.slice(0, n).map((date, i) => ({ version: i + 1, date })),
    publishedAt: dates[0],
  });
}

test("withdrawal notices: the paper's own, in authors' and administrators' words; not a mention of another", () => {
  assert.ok(isWithdrawalNotice("This paper has been withdrawn by the authors."));
  assert.ok(isWithdrawalNotice("paper withdrawn by author"));
  assert.ok(isWithdrawalNotice("withdrawn by arXiv administrators due to plagiarism."));
  assert.ok(isWithdrawalNotice("This has been withdrawn by arXiv administrators due to a dispute"));
  assert.ok(isWithdrawalNotice(null, "This article has been withdrawn because it has been merged."));
  assert.ok(!isWithdrawalNotice("Supersedes the withdrawn arXiv:0704.0156; 12 pages"));
  assert.ok(!isWithdrawalNotice("12 pages, 3 figures", "Drugs withdrawn from the market after approval."));
  assert.ok(!isWithdrawalNotice(null));
});

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`withdrawn papers in the store: ${kind}`, () => {
    const opened: { db?: TestDatabase; store?: Store; raw?: Kysely<unknown> } = {};
    after(async () => {
      await opened.raw?.destroy();
      await opened.store?.close();
      await opened.db?.drop();
    });

    test("set on ingest from the real snapshot, kept by the migration, out of keyword search, back when reinstated", async () => {
      const db = await createTestDatabase(kind);
      opened.db = db;
      const store = await db.open();
      opened.store = store;
      await store.ingest({ papers: snapshotRecords() });
      assert.deepEqual(await store.searchBuilds.withdrawn(), WITHDRAWN_IN_SNAPSHOT);
      const lemma = await store.getPaper(id("0704.0644"));
      // Withdrawn with its last version (v2, June 2008): the abstract is the paper's, the comment says withdrawn.
      assert.equal(lemma?.withdrawnAt, lemma?.versions.at(-1)?.date);
      assert.ok(lemma?.withdrawnAt?.startsWith("2008-06-30"));

      // The migration marks papers stored before it: down to 0017 (the column goes) and up again.
      const raw =
        kind === "sqlite"
          ? new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(db.url) }) })
          : new Kysely<unknown>({
              dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 1 }) }),
            });
      opened.raw = raw;
      const migrator = new Migrator({ db: raw, provider: migrationProvider });
      assert.equal((await migrator.migrateTo("0017_search_builds")).error, undefined);
      assert.equal((await migrator.migrateTo("0018_withdrawn")).error, undefined);
      assert.deepEqual(await store.searchBuilds.withdrawn(), WITHDRAWN_IN_SNAPSHOT);
      assert.equal((await store.getPaper(id("0704.0644")))?.withdrawnAt, lemma?.withdrawnAt);

      // Keyword search leaves withdrawn papers out (0704.0644's abstract is about the Tutte polynomial).
      const tutte = await store.search.search({ text: "Tutte polynomial planar graph", limit: 50 });
      assert.ok(!tutte.hits.some((h) => h.paper.id === "0704.0644"));

      await store.ingest({ papers: [versioned(1)] });
      const found = async () =>
        (
          await store.search.search({ text: "quasicrystal tilings hyperbolic manifolds", limit: 50 })
        ).hits.some((h) => h.paper.id === "2403.00777");
      assert.equal(await found(), true);
      await store.ingest({ papers: [versioned(2)] });
      assert.equal((await store.getPaper(id("2403.00777")))?.withdrawnAt, "2024-03-05T10:00:00.000Z");
      assert.equal(await found(), false);
      await store.ingest({ papers: [versioned(3)] });
      assert.equal((await store.getPaper(id("2403.00777")))?.withdrawnAt, null);
      assert.equal(await found(), true);
    });
  });
}

describe("withdrawn papers leave the search engine and keep a labelled page", () => {
  const opened: { db?: TestDatabase; store?: Store; dir?: string } = {};
  after(async () => {
    await opened.store?.close();
    await opened.db?.drop();
    if (opened.dir) rmSync(opened.dir, { recursive: true, force: true });
  });

  test("masked by the delta once withdrawn, left out of the next full build, page says Withdrawn", async () => {
    const db = await createTestDatabase("sqlite");
    opened.db = db;
    const store = await db.open();
    opened.store = store;
    const dir = mkdtempSync(join(tmpdir(), "paperboy-withdrawn-"));
    opened.dir = dir;
    await store.ingest({ papers: [...searchPapers(), versioned(1)] });
    const files = new EngineFiles(dir);
    const update = (force = false) => workerUpdate(store, files, force);
    assert.equal((await update()).action, "full");
    const service = createSearchService({ store, dataDir: dir, checkIntervalMs: 0, recountIntervalMs: 0 });
    const ids = async (mode: "keyword" | "hybrid" | "vector") =>
      (await service.search({ q: "quasicrystal tilings hyperbolic", mode, spelling: "off" })).hits.map(
        (h) => h.paper.id as string,
      );
    assert.equal((await ids("keyword"))[0], "2403.00777");
    // With 25 papers, asking for 30 neighbours lists every other paper.
    const neighbours = async () =>
      (await service.similar(id("2401.00001"), 30)).map((s) => s.paper.id as string);
    assert.ok((await neighbours()).includes("2403.00777"));

    await store.ingest({ papers: [versioned(2)] });
    const delta = await update();
    assert.equal(delta.action, "delta");
    assert.ok((delta.manifest?.delta?.deleted ?? 0) >= 1);
    for (const mode of ["keyword", "hybrid", "vector"] as const)
      assert.ok(!(await ids(mode)).includes("2403.00777"), `${mode} search still finds the withdrawn paper`);
    assert.equal((await service.status()).serving?.delta, delta.manifest?.delta?.file);
    assert.ok(!(await neighbours()).includes("2403.00777"));

    const full = await update(true);
    assert.equal(
      full.manifest?.papers,
      searchPapers().length,
      "the full build leaves the withdrawn paper out",
    );

    // The store now holds a paper the build left out. That is not a paper newer than the engine: searches
    // take the engine's answer alone, without also running the store's full-text search (which costs
    // hundreds of milliseconds at a million papers); a paper stored since is still found through it.
    const storeSearches = countStoreSearches(store);
    try {
      await servingNow(service, full.manifest as EngineManifest);
      storeSearches.count = 0;
      assert.equal((await service.search({ q: "protein structure", mode: "hybrid" })).mode, "hybrid");
      assert.equal(storeSearches.count, 0, "the store's search was asked for newer papers");
      await store.ingest({ papers: [newerPaper(25)] });
      const zebrafish = await service.search({ q: "zebrafish regeneration", mode: "hybrid" });
      assert.equal(zebrafish.hits[0]?.paper.id, newerPaper(25).id);
      assert.ok(storeSearches.count > 0);
    } finally {
      storeSearches.restore();
    }

    const site = createTestApp(store, { search: service });
    try {
      const page = await site.request("/papers/2403.00777");
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<strong>Withdrawn<\/strong> on/);
      assert.match(html, /Quasicrystal tilings of hyperbolic manifolds/);
      assert.match(html, /noindex/);
    } finally {
      site.close();
    }
  });
});
