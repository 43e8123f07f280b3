import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { SearchConfig } from "../../src/config/config.ts";
import { REBUILD_SEARCH, rebuildSearchHandler } from "../../src/jobs/handlers.ts";
import { Worker } from "../../src/jobs/worker.ts";
import { silentLogger } from "../../src/log.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import { createSearchService, type SearchService } from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { makeUser } from "../helpers/community.ts";
import { buildArxivRecord, cats, id, ts } from "../helpers/factories.ts";
import { newerPaper, searchPapers, TEST_ENGINE } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

const SEARCH: SearchConfig = {
  embedder: { kind: "corpus" },
  vectorIndex: "auto",
  rebuildGrowth: 0.2,
  schedule: "15 * * * *",
};

/** A paper on its own topic (words no other paper uses), stored after the build. */
function laterPaper(n: number, title: string, abstract: string) {
  const date = ts("2024-03-01T12:00:00Z");
  return buildArxivRecord({
    id: id(`2403.${String(n).padStart(5, "0")}`),
    title,
    abstract,
    authors: ["Barbara McClintock"],
    categories: cats("q-bio.CB"),
    versions: [{ version: 1, date }],
    publishedAt: date,
  });
}

describe("rebuild-search job: new, changed and hidden papers through the delta segment", () => {
  let db: TestDatabase;
  let store: Store;
  let dataDir: string;
  let files: EngineFiles;
  let worker: Worker;
  let service: SearchService;

  const manifest = (): EngineManifest => {
    const read = files.readManifest();
    assert.equal(read.kind, "ok");
    return (read as { manifest: EngineManifest }).manifest;
  };
  const runJob = async (payload: Record<string, unknown> = {}): Promise<EngineManifest> => {
    await store.enqueueJob({ kind: REBUILD_SEARCH, payload });
    const job = await worker.runOnce();
    assert.equal(job?.kind, REBUILD_SEARCH);
    assert.equal((await store.getJob(job?.id ?? ""))?.state, "succeeded", job?.lastError ?? "");
    return manifest();
  };
  const ids = async (q: string, mode: "keyword" | "vector" | "hybrid") =>
    (await service.search({ q, mode, perPage: 50, spelling: "off" })).hits.map((h) => h.paper.id as string);

  /**
   * A running server swaps a new build or delta in the background: the search that notices it still answers
   * with the engine it had. Waits (at most 10 s) until the server searches with the current manifest's delta.
   */
  const swappedIn = async (): Promise<void> => {
    const current = manifest();
    for (let i = 0; i < 100; i++) {
      await service.search({ q: "protein", mode: "keyword", spelling: "off" });
      const status = await service.status();
      const serving = status.serving;
      if (serving?.build === current.build && serving.delta === (current.delta?.file ?? null)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail("the server did not swap the new delta in");
  };

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    dataDir = mkdtempSync(join(tmpdir(), "paperboy-delta-"));
    files = new EngineFiles(dataDir);
    worker = new Worker({
      store,
      handlers: {
        [REBUILD_SEARCH]: rebuildSearchHandler({
          store,
          database: { kind: "sqlite", path: db.url },
          dataDir,
          search: SEARCH,
          engine: TEST_ENGINE,
        }),
      },
      schedules: [],
      logger: silentLogger,
    });
    // Stored an hour ago, well before the build (papers stored within seconds of a build's start are taken
    // into the delta again, in case a host's clock ran behind).
    await store.ingest({ papers: searchPapers() }, ts(new Date(Date.now() - 3_600_000).toISOString()));
    service = createSearchService({ store, dataDir, checkIntervalMs: 0, recountIntervalMs: 0 });
  });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the first tick makes a full build with checksums and a high-water mark", async () => {
    const m = await runJob();
    assert.equal(m.papers, 24);
    assert.equal(m.delta, undefined);
    assert.ok(m.highWater);
    assert.deepEqual(Object.keys(m.sha256 ?? {}), Object.keys(m.files));
    assert.equal(files.verifyChecksums(m), null);
  });

  test("new papers enter the delta at the next tick and are found by meaning and in similar, by a running server", async () => {
    const base = manifest();
    // New papers in words the build's embedder knows (it is not retrained for a delta).
    const folding = laterPaper(
      1,
      "Residue contact maps for folding proteins from sequence",
      "Contact maps between residues predict the folding of proteins from amino acid sequences alone.",
    );
    await store.ingest({ papers: [newerPaper(25), folding] });
    const m = await runJob();
    assert.equal(m.build, base.build, "no full build");
    assert.equal(m.delta?.papers, 2);
    assert.ok(readdirSync(join(files.dir, m.build)).includes(m.delta?.file ?? "?"));
    await swappedIn();

    const byMeaning = await service.search({
      q: "predicting how proteins fold from residue contacts",
      mode: "vector",
      perPage: 5,
      spelling: "off",
    });
    const found = byMeaning.hits.map((h) => h.paper.id as string);
    assert.ok(found.includes("2403.00001"), found.join(","));
    // Found by the engine itself, not merged in from the store's keyword search.
    assert.ok(!byMeaning.notes.some((n) => /added since the search engine was last built/.test(n)));
    const similar = (await service.similar(id("2403.00001"), 5)).map((s) => s.paper.id as string);
    assert.ok(similar.length === 5 && similar.every((s) => s.startsWith("2401.000")), similar.join(","));
    const ofBase = (await service.similar(id(similar[0] as string), 10)).map((s) => s.paper.id as string);
    assert.ok(ofBase.includes("2403.00001"), ofBase.join(","));
  });

  test("a tick with nothing new writes nothing", async () => {
    const before = manifest();
    const after = await runJob();
    assert.equal(after.delta?.file, before.delta?.file);
  });

  test("a changed paper is found by its new text only; a hidden one leaves", async () => {
    const old = searchPapers()[0];
    assert.ok(old);
    assert.ok((await ids("entropy minimization", "keyword")).length > 0);
    const target = (await ids("Test-time adaptation under distribution shift", "keyword"))[0];
    assert.equal(target, old.id);
    await store.ingest({
      papers: [
        {
          ...old,
          title: "Quasicrystal lattices in aperiodic tilings",
          abstract: "Aperiodic quasicrystal tilings.",
          versions: [...old.versions, { version: 2, date: ts("2024-05-01T12:00:00Z") }],
        },
      ],
    });
    const admin = await makeUser(store, { role: "admin" });
    await store.community.hidePaper(id("2401.00002"), admin.id);
    const m = await runJob();
    assert.equal(m.delta?.papers, 3, "two new, one changed; the hidden paper is not indexed");
    assert.equal(m.delta?.deleted, 4, "every paper in the delta, and the hidden one, masked in the base");
    await swappedIn();
    const quasi = await ids("quasicrystal tilings", "keyword");
    assert.deepEqual(quasi, [old.id]);
    const hybrid = await ids("quasicrystal aperiodic tilings", "hybrid");
    assert.equal(hybrid[0], old.id);
    // Its old title no longer finds it through the engine.
    const engineOld = await service.search({
      q: "distribution shift adaptation",
      mode: "vector",
      perPage: 50,
      spelling: "off",
    });
    assert.ok(!engineOld.hits.slice(0, 3).some((h) => h.paper.id === old.id));
    assert.ok(!(await ids("entropy minimization test-time adaptation", "hybrid")).includes("2401.00002"));
  });

  test("a delta past the threshold makes a full build that takes it in", async () => {
    const before = manifest();
    const more = Array.from({ length: 5 }, (_, i) =>
      laterPaper(10 + i, `Axolotl limb regeneration study ${i}`, "Axolotl limbs regrow after amputation."),
    );
    await store.ingest({ papers: more });
    const m = await runJob();
    assert.notEqual(m.build, before.build, "a full build");
    assert.equal(m.delta, undefined);
    assert.equal(m.papers, 31);
    await swappedIn();
    assert.ok((await ids("axolotl limb", "vector")).includes("2403.00010"), "retrained on the new words");
  });
});
