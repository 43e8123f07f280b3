import assert from "node:assert/strict";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { silentLogger } from "../../src/log.ts";
import { buildSearchEngine } from "../../src/search/service/build.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import { createSearchService, updateEngine } from "../../src/search/service/index.ts";
import type { Store } from "../../src/store/store.ts";
import { newerPaper, searchPapers, TEST_ENGINE } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

/** Flips one byte in the middle of a file: same size, same name, different content. */
function flipByte(path: string): void {
  const at = Math.floor(statSync(path).size / 2);
  const fd = openSync(path, "r+");
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = (b[0] as number) ^ 0xff;
    writeSync(fd, b, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

describe("search engine faults: checksums and interrupted builds", () => {
  let db: TestDatabase;
  let store: Store;
  let dataDir: string;
  let files: EngineFiles;
  const build = (signal?: AbortSignal, onProgress?: (p: { phase: string }) => void) =>
    buildSearchEngine({
      store,
      files,
      embedderName: "corpus",
      engine: TEST_ENGINE,
      logger: silentLogger,
      signal,
      onProgress,
    });
  const manifest = (): EngineManifest => (files.readManifest() as { manifest: EngineManifest }).manifest;
  const queuedRebuilds = async () =>
    (await store.listJobs({ states: ["queued"] })).filter((j) => j.kind === "rebuild-search");

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await store.ingest({ papers: searchPapers() });
    dataDir = mkdtempSync(join(tmpdir(), "paperboy-faults-"));
    files = new EngineFiles(dataDir);
  });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a build stopped half way leaves the previous build serving", async () => {
    const first = await build();
    const controller = new AbortController();
    await assert.rejects(
      build(controller.signal, (p) => {
        if (p.phase === "building") controller.abort(new Error("killed"));
      }),
    );
    // What a killed builder leaves: a temporary folder and a pending manifest.
    mkdirSync(join(files.dir, ".tmp-99999-dead"), { recursive: true });
    writeFileSync(join(files.dir, ".tmp-99999-dead", "engine.pbs"), "PBSI half a file");
    writeFileSync(join(files.dir, ".tmp-manifest-99999-dead.json"), "{");
    assert.equal(manifest().build, first.build);
    const service = createSearchService({ store, dataDir });
    const r = await service.search({ q: "protein structure", mode: "hybrid" });
    assert.equal(r.mode, "hybrid");
    assert.equal((await service.status()).serving?.build, first.build);
  });

  test("a corrupt engine file of the right size is caught by its checksum, never served, and a rebuild is queued", async () => {
    const m = manifest();
    flipByte(files.enginePath(m));
    assert.equal(files.verify(m), null, "sizes alone do not see it");
    assert.match(files.verifyChecksums(m) ?? "", /does not match its checksum/);
    const service = createSearchService({ store, dataDir });
    const r = await service.search({ q: "protein structure", mode: "hybrid" });
    assert.equal(r.mode, "keyword", "the store's keyword search answers");
    assert.ok(r.hits.length > 0);
    assert.equal((await service.status()).serving, null);
    const jobs = await queuedRebuilds();
    assert.equal(jobs.length, 1);
    assert.deepEqual(jobs[0]?.payload, { force: true });
    // Asking again does not queue a second rebuild of the same damaged build.
    await createSearchService({ store, dataDir }).search({ q: "protein", mode: "hybrid" });
    assert.equal((await queuedRebuilds()).length, 1);
    // The worker's tick sees it too and rebuilds.
    const update = await updateEngine({
      store,
      files,
      embedderName: "corpus",
      rebuildGrowth: 0.1,
      logger: silentLogger,
      build: () => build(),
    });
    assert.equal(update.action, "full");
    assert.match(update.reason, /checksum/);
    assert.equal(files.verifyChecksums(manifest()), null);
  });

  test("a corrupt delta is not served: the build answers without it", async () => {
    await store.ingest({ papers: [newerPaper(25)] });
    const update = await updateEngine({
      store,
      files,
      embedderName: "corpus",
      rebuildGrowth: 100,
      logger: silentLogger,
      build: () => build(),
    });
    assert.equal(update.action, "delta");
    const m = manifest();
    const deltaPath = files.deltaPath(m) as string;
    const healthy = createSearchService({ store, dataDir });
    await healthy.search({ q: "protein", mode: "hybrid" });
    assert.equal((await healthy.status()).serving?.delta, m.delta?.file);

    flipByte(deltaPath);
    const service = createSearchService({ store, dataDir });
    const r = await service.search({ q: "protein structure", mode: "hybrid" });
    assert.equal(r.mode, "hybrid");
    const serving = (await service.status()).serving;
    assert.equal(serving?.build, m.build);
    assert.equal(serving?.delta, null);
    assert.ok((await queuedRebuilds()).length >= 1);
  });
});
