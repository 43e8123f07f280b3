import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { BuildStoreConfig } from "../../src/config/config.ts";
import { silentLogger } from "../../src/log.ts";
import { HttpClient } from "../../src/net/http-client.ts";
import { S3Client } from "../../src/net/s3-client.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import {
  type BuildStore,
  createSearchService,
  fetchPublishedBuild,
  publishBuild,
  s3BuildStore,
} from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { servingNow, workerUpdate } from "../helpers/replicas.ts";
import { startTestS3Server, type TestS3Server } from "../helpers/s3-server.ts";
import { newerPaper, searchPapers } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

/** No temporary download folders left in a data directory's search folder. */
function leftovers(dataDir: string): string[] {
  const dir = join(dataDir, "search");
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(".tmp-")) : [];
}

describe("a replica gets the build from an S3-compatible object store", () => {
  let db: TestDatabase;
  let store: Store;
  let s3: TestS3Server;
  let s3Dir: string;
  let workerDir: string;
  let replicaDir: string;
  let workerFiles: EngineFiles;
  let config: BuildStoreConfig;
  /** The build store with quick retries (2 attempts, 10 ms apart), as a test can wait for them. */
  let builds: BuildStore;
  const update = (force = false) => workerUpdate(store, workerFiles, force);
  const client = (secret = s3.secretAccessKey) =>
    new S3Client({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: secret,
      http: new HttpClient({ retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 } }),
    });

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await store.ingest({ papers: searchPapers() });
    s3Dir = mkdtempSync(join(tmpdir(), "paperboy-s3-"));
    // Two keys a page, so listing for the prune follows continuation tokens.
    s3 = await startTestS3Server(s3Dir, { pageSize: 2, minPartBytes: 16 << 10 });
    workerDir = mkdtempSync(join(tmpdir(), "paperboy-worker-"));
    replicaDir = mkdtempSync(join(tmpdir(), "paperboy-replica-"));
    workerFiles = new EngineFiles(workerDir);
    config = {
      kind: "s3",
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      prefix: "lab/paperboy",
    };
    builds = s3BuildStore(client(), "lab/paperboy", s3.bucket);
  });
  after(async () => {
    await s3.close();
    await store.close();
    await db.drop();
    for (const dir of [s3Dir, workerDir, replicaDir]) rmSync(dir, { recursive: true, force: true });
  });

  test("published as objects with current.json last; the replica answers by keyword, fetches, then serves it", async () => {
    const replica = createSearchService({
      store,
      dataDir: replicaDir,
      checkIntervalMs: 0,
      buildStore: config,
    });
    assert.equal((await replica.search({ q: "protein structure", mode: "hybrid" })).mode, "keyword");

    const built = await update();
    assert.equal(built.action, "full");
    const m = built.manifest as EngineManifest;
    const sent = await publishBuild(builds, workerFiles, m, silentLogger);
    assert.ok(sent.published >= 1 && sent.bytes > 0);
    assert.ok(s3.keys().includes(`lab/paperboy/builds/${m.build}/engine.pbs`));
    assert.ok(s3.keys().includes("lab/paperboy/current.json"));
    // Publishing again sends nothing: every object is there with its size and checksum.
    const puts = s3.counts.PUT;
    assert.equal((await publishBuild(builds, workerFiles, m, silentLogger)).published, 0);
    assert.equal(s3.counts.PUT, puts + 1, "only current.json is written again");

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
    assert.equal(s3.counts.refused, 0, "every request carried a valid signature");
  });

  test("a delta is published and fetched alone", async () => {
    await store.ingest({ papers: [newerPaper(25)] });
    const delta = await update();
    assert.equal(delta.action, "delta");
    const m = delta.manifest as EngineManifest;
    assert.equal((await publishBuild(builds, workerFiles, m, silentLogger)).published, 1, "only the delta");
    const gets = s3.counts.GET;
    assert.equal(await fetchPublishedBuild(builds, new EngineFiles(replicaDir), silentLogger), "fetched");
    // current.json and the delta's one range: the base build is already on the replica's disk.
    assert.equal(s3.counts.GET, gets + 2);
    const replica = createSearchService({
      store,
      dataDir: replicaDir,
      checkIntervalMs: 0,
      buildStore: config,
    });
    await servingNow(replica, m);
    assert.ok(
      (await replica.search({ q: "zebrafish regeneration", mode: "hybrid", spelling: "off" })).hits.some(
        (h) => h.paper.id === "2402.00025",
      ),
    );
  });

  test("a request signed with another secret is refused by the store", async () => {
    const wrong = s3BuildStore(client("not-the-secret"), "lab/paperboy", s3.bucket);
    const refused = s3.counts.refused;
    await assert.rejects(wrong.current(), /SignatureDoesNotMatch/);
    assert.equal(s3.counts.refused, refused + 1);
  });

  test("a dropped download is retried from its range; a fetch that gives up leaves nothing and a new one succeeds", async () => {
    const m = (workerFiles.readManifest() as { manifest: EngineManifest }).manifest;
    const fresh = mkdtempSync(join(tmpdir(), "paperboy-replica-cut-"));
    try {
      // One cut: the HTTP client asks for the same range again, the fetch goes on.
      s3.cutGets("engine.pbs", 100, 1);
      assert.equal(await fetchPublishedBuild(builds, new EngineFiles(fresh), silentLogger), "fetched");
      rmSync(fresh, { recursive: true, force: true });

      // Cut on every attempt: the fetch fails, installs nothing, leaves no partial file; the next one succeeds.
      s3.cutGets("engine.pbs", 100, 2);
      const files = new EngineFiles(fresh);
      await assert.rejects(fetchPublishedBuild(builds, files, silentLogger));
      assert.equal(files.readManifest().kind, "missing");
      assert.ok(!existsSync(join(files.dir, m.build, "engine.pbs")));
      assert.deepEqual(leftovers(fresh), []);
      assert.equal(await fetchPublishedBuild(builds, files, silentLogger), "fetched");
      assert.equal(
        files.verifyChecksums((files.readManifest() as { manifest: EngineManifest }).manifest),
        null,
      );
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  test("a full rebuild replaces the build; objects of builds older than the previous one are removed", async () => {
    const first = (workerFiles.readManifest() as { manifest: EngineManifest }).manifest.build;
    const second = (await update(true)).manifest as EngineManifest;
    await publishBuild(builds, workerFiles, second, silentLogger);
    const third = (await update(true)).manifest as EngineManifest;
    await publishBuild(builds, workerFiles, third, silentLogger);
    const buildsStored = new Set(
      s3
        .keys()
        .filter((k) => k.startsWith("lab/paperboy/builds/"))
        .map((k) => k.split("/")[3]),
    );
    assert.deepEqual([...buildsStored].sort(), [second.build, third.build].sort());
    assert.ok(!buildsStored.has(first));
    assert.equal((await builds.current())?.build, third.build);
  });

  test("a file larger than a part goes up in parts (multipart upload); a refused upload is aborted", async () => {
    const m = (workerFiles.readManifest() as { manifest: EngineManifest }).manifest;
    assert.ok((m.files["engine.pbs"] ?? 0) > 3 * (16 << 10), "the engine file spans several parts");
    const parts = s3BuildStore(client(), "multipart", s3.bucket, { partBytes: 16 << 10 });
    const completed = s3.uploads.completed;
    await publishBuild(parts, workerFiles, m, silentLogger);
    assert.ok(s3.uploads.completed > completed);
    assert.equal(s3.uploads.open(), 0);
    const fresh = mkdtempSync(join(tmpdir(), "paperboy-replica-parts-"));
    try {
      const files = new EngineFiles(fresh);
      assert.equal(await fetchPublishedBuild(parts, files, silentLogger), "fetched");
      assert.equal(files.verifyChecksums(m), null, "the object put together from parts is the file");
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
    // Parts smaller than the store's minimum: completing fails, the upload is aborted, nothing is published.
    const tooSmall = s3BuildStore(client(), "too-small", s3.bucket, { partBytes: 8 << 10 });
    await assert.rejects(publishBuild(tooSmall, workerFiles, m, silentLogger), /EntityTooSmall/);
    assert.equal(s3.uploads.open(), 0);
    assert.equal(await tooSmall.current(), null);
  });

  test("a corrupted object is refused by its checksum and never installed", async () => {
    const m = (workerFiles.readManifest() as { manifest: EngineManifest }).manifest;
    s3.corrupt(
      `lab/paperboy/builds/${m.build}/engine.pbs`,
      new Uint8Array(m.files["engine.pbs"] ?? 0).fill(7),
    );
    const fresh = mkdtempSync(join(tmpdir(), "paperboy-replica-bad-"));
    try {
      const files = new EngineFiles(fresh);
      await assert.rejects(fetchPublishedBuild(builds, files, silentLogger), /does not match its checksum/);
      assert.equal(files.readManifest().kind, "missing");
      assert.ok(!existsSync(join(files.dir, m.build, "engine.pbs")));
      assert.deepEqual(leftovers(fresh), []);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
