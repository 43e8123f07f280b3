import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { silentLogger } from "../../src/log.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import {
  createSearchService,
  fetchPublishedBuild,
  postgresBuildStore,
  publishBuild,
} from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { servingNow, workerUpdate } from "../helpers/replicas.ts";
import { newerPaper, searchPapers } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

describe("search builds in PostgreSQL: chunks round trip", () => {
  let db: TestDatabase;
  let store: Store;
  before(async () => {
    db = await createTestDatabase("postgres");
    store = await db.open();
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  test("chunks come back byte for byte, in order; the current build is one row; prune keeps what is named", async () => {
    const chunks = [randomBytes(1000), randomBytes(1000), randomBytes(17), new Uint8Array([0, 255, 0])];
    for (const [seq, bytes] of chunks.entries())
      await store.searchBuilds.putChunk("build-a", "engine.pbs", seq, bytes);
    // A publisher that died half way and starts again overwrites its chunks.
    await store.searchBuilds.putChunk("build-a", "engine.pbs", 0, chunks[0] as Uint8Array);
    assert.equal(await store.searchBuilds.chunkCount("build-a", "engine.pbs"), 4);
    const back: Uint8Array[] = [];
    for await (const c of store.searchBuilds.readChunks("build-a", "engine.pbs")) back.push(c);
    assert.deepEqual(
      back.map((b) => Buffer.from(b).toString("hex")),
      chunks.map((b) => Buffer.from(b).toString("hex")),
    );
    await store.searchBuilds.putChunk("build-b", "engine.pbs", 0, new Uint8Array([1]));
    assert.equal(await store.searchBuilds.current(), null);
    await store.searchBuilds.setCurrent({
      buildId: "build-a",
      manifestJson: "{}",
      publishedAt: "2026-01-01T00:00:00.000Z",
    });
    await store.searchBuilds.setCurrent({
      buildId: "build-b",
      manifestJson: '{"b":1}',
      publishedAt: "2026-01-02T00:00:00.000Z",
    });
    assert.deepEqual(await store.searchBuilds.current(), {
      buildId: "build-b",
      manifestJson: '{"b":1}',
      publishedAt: "2026-01-02T00:00:00.000Z",
    });
    assert.equal(await store.searchBuilds.prune(["build-b"]), 4);
    assert.equal(await store.searchBuilds.chunkCount("build-a", "engine.pbs"), 0);
    assert.equal(await store.searchBuilds.chunkCount("build-b", "engine.pbs"), 1);
  });
});

describe("a replica without a shared disk gets the build from PostgreSQL", () => {
  let db: TestDatabase;
  let store: Store;
  let workerDir: string;
  let replicaDir: string;
  let workerFiles: EngineFiles;
  const update = () => workerUpdate(store, workerFiles);

  before(async () => {
    db = await createTestDatabase("postgres");
    store = await db.open();
    await store.ingest({ papers: searchPapers() });
    workerDir = mkdtempSync(join(tmpdir(), "paperboy-worker-"));
    replicaDir = mkdtempSync(join(tmpdir(), "paperboy-replica-"));
    workerFiles = new EngineFiles(workerDir);
  });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(workerDir, { recursive: true, force: true });
    rmSync(replicaDir, { recursive: true, force: true });
  });

  test("the replica answers from the store's keyword search, fetches the build in the background, then uses it", async () => {
    const replica = createSearchService({ store, dataDir: replicaDir, checkIntervalMs: 0 });
    const early = await replica.search({ q: "protein structure", mode: "hybrid" });
    assert.equal(early.mode, "keyword");

    const built = await update();
    assert.equal(built.action, "full");
    const m = built.manifest as EngineManifest;
    const sent = await publishBuild(postgresBuildStore(store), workerFiles, m, silentLogger);
    assert.ok(sent.published >= 1 && sent.bytes > 0);
    // Publishing again sends nothing: the files are there in full.
    assert.equal((await publishBuild(postgresBuildStore(store), workerFiles, m, silentLogger)).published, 0);

    await servingNow(replica, m);
    assert.ok(existsSync(join(replicaDir, "search", m.build, "engine.pbs")));
    const worker = createSearchService({ store, dataDir: workerDir });
    const q = { q: "protein structure prediction", mode: "hybrid" as const, spelling: "off" as const };
    const fromReplica = await replica.search(q);
    assert.equal(fromReplica.mode, "hybrid");
    assert.deepEqual(
      fromReplica.hits.map((h) => h.paper.id),
      (await worker.search(q)).hits.map((h) => h.paper.id),
    );
  });

  test("a delta is published and fetched alone", async () => {
    await store.ingest({ papers: [newerPaper(25)] });
    const delta = await update();
    assert.equal(delta.action, "delta");
    const m = delta.manifest as EngineManifest;
    const sent = await publishBuild(postgresBuildStore(store), workerFiles, m, silentLogger);
    assert.equal(sent.published, 1, "only the delta file");
    const replica = createSearchService({ store, dataDir: replicaDir, checkIntervalMs: 0 });
    await servingNow(replica, m);
  });

  test("a published file that fails its checksum is never installed", async () => {
    const m = (workerFiles.readManifest() as { manifest: EngineManifest }).manifest;
    await store.searchBuilds.putChunk(m.build, "engine.pbs", 0, new Uint8Array([1, 2, 3]));
    const fresh = mkdtempSync(join(tmpdir(), "paperboy-replica2-"));
    try {
      const files = new EngineFiles(fresh);
      await assert.rejects(
        fetchPublishedBuild(postgresBuildStore(store), files, silentLogger),
        /does not match its checksum/,
      );
      assert.equal(files.readManifest().kind, "missing");
      assert.ok(!existsSync(join(files.dir, m.build, "engine.pbs")));
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
