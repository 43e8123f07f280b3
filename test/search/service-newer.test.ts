import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { EngineManifest } from "../../src/search/service/engine-files.ts";
import { EngineFiles } from "../../src/search/service/engine-files.ts";
import { createSearchService } from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, id, ts } from "../helpers/factories.ts";
import { servingNow, workerUpdate } from "../helpers/replicas.ts";
import { countStoreSearches, newerPaper, searchPapers } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

/**
 * `n` papers of a day's batch, stored together just before the worker's tick: the test library's texts again
 * under new ids (words the embedder knows, so the delta's drift does not call for a full build).
 */
function batch(n: number) {
  const texts = searchPapers();
  return Array.from({ length: n }, (_, i) => {
    const like = texts[i % texts.length] as (typeof texts)[number];
    return buildArxivRecord({
      id: id(`2409.${String(i + 1).padStart(5, "0")}`),
      title: like.title,
      abstract: like.abstract,
      authors: like.authors,
      categories: like.categories,
      versions: [{ version: 1, date: ts("2024-09-02T08:00:00Z") }],
    });
  });
}

describe("papers newer than the engine: only those it does not know yet send searches to the store", () => {
  const opened: { db?: TestDatabase; store?: Store; dir?: string } = {};
  after(async () => {
    await opened.store?.close();
    await opened.db?.drop();
    if (opened.dir) rmSync(opened.dir, { recursive: true, force: true });
  });

  test("a batch larger than one page of changes, taken in by a delta, is not newer; a paper stored since is", async () => {
    opened.db = await createTestDatabase("sqlite");
    const store = await opened.db.open();
    opened.store = store;
    opened.dir = mkdtempSync(join(tmpdir(), "paperboy-newer-"));
    const files = new EngineFiles(opened.dir);
    await store.ingest({ papers: searchPapers() });
    assert.equal((await workerUpdate(store, files)).action, "full");
    // More papers than the check reads per page, stored right before the tick (inside the delta's clock margin).
    await store.ingest({ papers: batch(1_100) });
    const delta = await workerUpdate(store, files);
    assert.equal(delta.action, "delta");
    const service = createSearchService({
      store,
      dataDir: opened.dir,
      checkIntervalMs: 0,
      recountIntervalMs: 0,
    });
    await servingNow(service, delta.manifest as EngineManifest);

    const storeSearches = countStoreSearches(store);
    try {
      const protein = await service.search({ q: "protein structure", mode: "hybrid", spelling: "off" });
      assert.equal(protein.mode, "hybrid");
      assert.ok(protein.hits.some((h) => h.paper.id.startsWith("2409.")));
      assert.equal(storeSearches.count, 0, "the store's search was asked for papers the delta holds");

      await store.ingest({ papers: [newerPaper(25)] });
      const zebrafish = await service.search({
        q: "zebrafish regeneration",
        mode: "hybrid",
        spelling: "off",
      });
      assert.equal(zebrafish.hits[0]?.paper.id, newerPaper(25).id);
      assert.ok(storeSearches.count > 0, "a paper stored after the delta is found through the store");
    } finally {
      storeSearches.restore();
    }
  });
});
