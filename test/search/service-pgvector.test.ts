import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { PGlite } from "@electric-sql/pglite";
import type { ArxivId, PaperRecord } from "../../src/core/index.ts";
import { silentLogger } from "../../src/log.ts";
import { type BuildOptions, buildSearchEngine } from "../../src/search/service/build.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import { createSearchService } from "../../src/search/service/index.ts";
import { attachPgVectors } from "../../src/search/service/pgvector-builds.ts";
import { ENGINE_STATE } from "../../src/search/service/store-identity.ts";
import { PgVectorIndex } from "../../src/search/vector/pgvector-index.ts";
import type { KyselyStore } from "../../src/store/kysely-store.ts";
import { buildArxivRecord, id, ts } from "../helpers/factories.ts";
import { syntheticPapers } from "../helpers/hash-embedding.ts";
import { openPgliteStore } from "../helpers/pglite.ts";
import { searchPapers, TEST_ENGINE } from "../helpers/search-papers.ts";
import { createTestDatabase } from "../helpers/stores.ts";

/** The 24 topical papers plus 300 made-up ones: enough to pass the lowered threshold of 100. */
function papers(): PaperRecord[] {
  const made = syntheticPapers(300, 10, 4).map((doc, i) =>
    buildArxivRecord({
      id: id(`2403.${String(i + 1).padStart(5, "0")}`),
      title: doc.title,
      abstract: doc.abstract,
      authors: [`Author ${i % 17}`],
      publishedAt: ts("2024-03-01T12:00:00Z"),
    }),
  );
  return [...searchPapers(), ...made];
}

const ENGINE = { ...TEST_ENGINE, vectorIndex: { hnswFrom: 100 } };

describe("search service on PostgreSQL with pgvector (PGlite)", () => {
  let store: KyselyStore;
  let pg: PGlite;
  let dataDir: string;
  let files: EngineFiles;
  const build = (options: Partial<BuildOptions> = {}) =>
    buildSearchEngine({
      store,
      files,
      embedderName: "corpus",
      engine: ENGINE,
      vectorIndex: "pgvector",
      logger: silentLogger,
      ...options,
    });
  const published = async () => (await PgVectorIndex.builds(store.db)).map((b) => b.build).sort();

  before(async () => {
    ({ store, pg } = await openPgliteStore());
    dataDir = mkdtempSync(join(tmpdir(), "paperboy-pgvector-"));
    files = new EngineFiles(dataDir);
    await store.ingest({ papers: papers() });
  });
  after(async () => {
    await store.close();
    await pg.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let first: EngineManifest;

  test("a pgvector build publishes the vectors and keeps no graph file", async () => {
    const phases = new Set<string>();
    first = await build({ onProgress: (p) => phases.add(p.phase) });
    assert.equal(first.ann, "pgvector");
    assert.ok(phases.has("publishing"));
    assert.deepEqual(Object.keys(first.files), ["engine.pbs"]);
    assert.deepEqual(await published(), [first.build]);
    const index = await PgVectorIndex.open(store.db, first.build, 64, first.papers);
    assert.equal(index.size, 324);
    const loaded = await attachPgVectors(store, files.load(first), first);
    assert.equal(loaded.ann.kind, "pgvector");
  });

  test("hybrid and vector search and similar go through the published index", async () => {
    const service = createSearchService({ store, dataDir, checkIntervalMs: 0, recountIntervalMs: 0 });
    for (const mode of ["hybrid", "vector"] as const) {
      const r = await service.search({ q: "test-time adaptation under distribution shift", mode });
      assert.equal(r.mode, mode);
      assert.equal(r.problem, null);
      assert.ok(r.hits.length > 0);
      assert.ok(["2401.00001", "2401.00002", "2401.00003"].includes(r.hits[0]?.paper.id ?? ""), mode);
    }
    const similar = await service.similar("2401.00007" as ArxivId, 5);
    assert.equal(similar.length, 5);
    assert.ok(similar.every((s) => s.paper.id !== "2401.00007"));
    // Its topic's papers (2401.00007-12) come first, not the made-up ones.
    assert.ok(
      ["2401.00008", "2401.00009", "2401.00010", "2401.00011", "2401.00012"].includes(
        similar[0]?.paper.id ?? "",
      ),
    );
    const made = await service.similar("2403.00010" as ArxivId, 10);
    assert.equal(made.length, 10);
    assert.ok(made.every((s) => s.paper.id !== "2403.00010"));
  });

  test("a failed publish fails the build, is recorded, and leaves the current engine", async () => {
    await pg.exec(`
      create function refuse_vectors() returns trigger language plpgsql as $$
        begin raise exception 'disk full'; end $$;
      create trigger refuse before insert on search_vectors for each row execute function refuse_vectors();
    `);
    try {
      await assert.rejects(build(), /publishing the vectors to PostgreSQL \(pgvector\) failed: .*disk full/);
    } finally {
      await pg.exec("drop trigger refuse on search_vectors; drop function refuse_vectors();");
    }
    const read = files.readManifest();
    assert.equal(read.kind === "ok" && read.manifest.build, first.build);
    assert.deepEqual(await published(), [first.build], "the failed build's rows are gone");
    assert.equal(
      readdirSync(files.dir).filter((n) => n.startsWith("build-")).length,
      1,
      "no folder for it either",
    );
    assert.match((await store.getSourceState(ENGINE_STATE))?.lastError ?? "", /disk full/);
  });

  test("builds whose folders are pruned lose their rows", async () => {
    const second = await build();
    assert.deepEqual(await published(), [first.build, second.build].sort(), "the previous build is kept");
    // Age the first build's folder past the settling time, so the next build prunes it.
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(files.dir, first.build), old, old);
    const third = await build();
    assert.equal(existsSync(join(files.dir, first.build)), false);
    assert.deepEqual(await published(), [second.build, third.build].sort());
  });

  test("usearch, or a library under the threshold, publishes nothing", async () => {
    const graph = await build({ vectorIndex: "usearch" });
    assert.equal(graph.ann, undefined);
    assert.ok(Object.keys(graph.files).some((n) => n.endsWith(".hnsw")));
    const small = await build({ engine: { ...TEST_ENGINE, vectorIndex: { hnswFrom: 1_000 } } });
    assert.equal(small.ann, undefined);
    assert.deepEqual(Object.keys(small.files), ["engine.pbs"]);
    const auto = await build({ vectorIndex: "auto" });
    assert.equal(auto.ann, "pgvector");
  });

  test("a build whose vectors are gone from PostgreSQL is not used, and is due for a rebuild", async () => {
    const current = await build();
    await PgVectorIndex.drop(store.db, current.build);
    const service = createSearchService({ store, dataDir, checkIntervalMs: 0, recountIntervalMs: 0 });
    const r = await service.search({ q: "test-time adaptation", mode: "hybrid" });
    assert.equal(r.mode, "keyword");
    assert.match(r.notes.join(" "), /not available until the search engine is built/);
    const status = await service.status();
    assert.equal(status.engine, null);
    assert.equal(status.stale, true);
  });
});

describe("pgvector asked for without PostgreSQL", () => {
  test("a SQLite store: the build fails, saying what to set", async () => {
    const db = await createTestDatabase("sqlite");
    const store = await db.open();
    const dataDir = mkdtempSync(join(tmpdir(), "paperboy-pgvector-"));
    try {
      await store.ingest({ papers: searchPapers() });
      await assert.rejects(
        buildSearchEngine({
          store,
          files: new EngineFiles(dataDir),
          embedderName: "corpus",
          engine: TEST_ENGINE,
          vectorIndex: "pgvector",
          logger: silentLogger,
        }),
        /PAPERBOY_VECTOR_INDEX=pgvector needs a PostgreSQL store/,
      );
      assert.match((await store.getSourceState(ENGINE_STATE))?.lastError ?? "", /needs a PostgreSQL store/);
    } finally {
      await store.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
