import assert from "node:assert/strict";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { silentLogger } from "../../src/log.ts";
import { SearchEngine } from "../../src/search/engine.ts";
import { readContainer } from "../../src/search/persist/container.ts";
import { loadEngine, saveEngine } from "../../src/search/persist/engine-file.ts";
import { buildSearchEngine } from "../../src/search/service/build.ts";
import { EngineFiles, type EngineManifest } from "../../src/search/service/engine-files.ts";
import { createSearchService } from "../../src/search/service/index.ts";
import { DiskVectors } from "../../src/search/vector/disk-vectors.ts";
import { FlatVectorIndex } from "../../src/search/vector/flat-index.ts";
import { HnswVectorIndex } from "../../src/search/vector/hnsw-index.ts";
import type { Store } from "../../src/store/store.ts";
import { HashEmbedder, syntheticPapers } from "../helpers/hash-embedding.ts";
import { searchPapers, TEST_ENGINE } from "../helpers/search-papers.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

const PAPERS = syntheticPapers(3000, 40, 5);
const embedder = new HashEmbedder(48);
const QUERIES = [
  ...[PAPERS[3], PAPERS[500], PAPERS[2999], PAPERS[1234]].map((p) => p?.title ?? ""),
  `"${PAPERS[77]?.title.split(" ").slice(0, 2).join(" ")}"`,
  `"${PAPERS[1500]?.title.split(" ").slice(0, 3).join(" ")}" ${PAPERS[9]?.title.split(" ")[0]}`,
];

describe("exact vectors read from the engine file", () => {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-disk-vectors-"));
  const path = join(dir, "engine.pbs");
  let built: SearchEngine;
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    built = await SearchEngine.build(PAPERS, {
      embedder,
      vectorIndex: { hnswFrom: 1000, hnsw: { threads: 1 } },
    });
    saveEngine(built, path);
  });

  test("a loaded engine answers identically with its vectors and positions on disk and in memory", async () => {
    const memory = loadEngine(path, { embedder, vectors: "memory", positions: "memory" });
    const disk = loadEngine(path, { embedder, vectors: "disk", positions: "disk" });
    assert.ok(disk.index.data.positionsOnDisk);
    assert.equal(disk.index.data.posBytes.length, 0);
    assert.equal(memory.index.data.positionsOnDisk, undefined);
    assert.ok(memory.vectors instanceof FlatVectorIndex);
    assert.ok(disk.vectors instanceof DiskVectors);
    assert.ok(disk.ann instanceof HnswVectorIndex);
    // 3,000 papers are below the default threshold: "auto" keeps them in memory.
    assert.ok(loadEngine(path, { embedder }).vectors instanceof FlatVectorIndex);
    for (const query of QUERIES) {
      for (const mode of ["keyword", "vector", "hybrid"] as const) {
        for (const limit of [10, 100]) {
          const a = await memory.search(query, { mode, limit });
          const b = await disk.search(query, { mode, limit });
          assert.deepEqual(b, a, `${mode} ${limit} ${query}`);
          assert.ok(a.hits.length > 0, `${mode} ${query} finds something`);
        }
      }
    }
    for (const id of ["p0", "p42", "p2999"]) {
      const a = await memory.similar(id, 20);
      assert.equal(a.length, 20);
      assert.deepEqual(await disk.similar(id, 20), a, id);
    }
    for (const doc of [0, 1, 1500, 2999]) assert.deepEqual(disk.vectors.row(doc), memory.vectors.row(doc));
    // The exact scan over the file (a small engine's search) matches the in-memory one too.
    const q = memory.vectors.row(7);
    assert.deepEqual(disk.vectors.search(q, 25), memory.vectors.search(q, 25));
    // Saving an engine whose vectors are on disk writes the same file content.
    const again = join(dir, "again.pbs");
    saveEngine(disk, again);
    const reread = loadEngine(again, { embedder, vectors: "memory", positions: "memory" });
    assert.deepEqual(reread.vectors.rows(0, reread.size), memory.vectors.rows(0, memory.size));
    assert.deepEqual(reread.index.data.posBytes, memory.index.data.posBytes);
    assert.deepEqual(reread.index.exact?.data.posBytes, memory.index.exact?.data.posBytes);
    (disk.vectors as DiskVectors).close();
  });

  test("a build embedding into a file holds the same vectors as one in memory", async () => {
    const file = join(dir, "scratch.f32");
    const lean = await SearchEngine.build(PAPERS, {
      embedder,
      vectorIndex: { hnswFrom: 1000, hnsw: { threads: 1 } },
      vectorFile: file,
    });
    assert.ok(lean.vectors instanceof DiskVectors);
    assert.ok(lean.ann instanceof HnswVectorIndex);
    assert.equal(lean.ann.size, PAPERS.length);
    assert.deepEqual(lean.vectors.rows(0, lean.size), built.vectors.rows(0, built.size));
    for (const query of QUERIES) {
      const a = await built.search(query, { mode: "keyword", limit: 20 });
      assert.deepEqual(await lean.search(query, { mode: "keyword", limit: 20 }), a);
    }
    (lean.vectors as DiskVectors).close();
    // Below the graph threshold the vectors stay in memory and the file is not used.
    const small = await SearchEngine.build(PAPERS.slice(0, 200), {
      embedder,
      vectorFile: join(dir, "small.f32"),
    });
    assert.ok(small.vectors instanceof FlatVectorIndex);
    assert.equal(existsSync(join(dir, "small.f32")), false);
  });

  test("a truncated engine file is refused when loaded with its vectors on disk", () => {
    const cut = join(dir, "cut.pbs");
    saveEngine(built, cut);
    const { located } = readContainer(cut, undefined, new Set());
    const vectors = located.vectors;
    assert.ok(vectors);
    // Cut inside the vector array: the arrays after it are gone too.
    truncateSync(cut, vectors.offset + 1000);
    assert.throws(() => loadEngine(cut, { embedder, vectors: "disk" }), /truncated/);
  });
});

describe("the product's build and load with vectors on disk", () => {
  let db: TestDatabase;
  let store: Store;
  let dataDir: string;
  let files: EngineFiles;
  // The test library is small: a low graph threshold puts it on the large-library path.
  const engine = { ...TEST_ENGINE, vectorIndex: { hnswFrom: 5, hnsw: { threads: 1 } } };
  const manifest = (): EngineManifest => (files.readManifest() as { manifest: EngineManifest }).manifest;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await store.ingest({ papers: searchPapers() });
    dataDir = mkdtempSync(join(tmpdir(), "paperboy-disk-build-"));
    files = new EngineFiles(dataDir);
  });
  after(async () => {
    await store.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("builds through a scratch file, leaves none behind, and serves the same answers from disk", async () => {
    const m = await buildSearchEngine({
      store,
      files,
      embedderName: "corpus",
      engine,
      logger: silentLogger,
    });
    assert.deepEqual(
      readdirSync(files.dir).filter((name) => name.startsWith(".tmp-")),
      [],
      "the scratch vector file is removed",
    );
    assert.ok(Object.keys(m.files).some((name) => name.endsWith(".hnsw")));
    const path = files.enginePath(m);
    const memory = loadEngine(path, { vectors: "memory" });
    const disk = loadEngine(path, { vectors: "disk" });
    for (const q of ["protein structure", "graph neural networks", "quantum"]) {
      for (const mode of ["vector", "hybrid"] as const) {
        assert.deepEqual(await disk.search(q, { mode }), await memory.search(q, { mode }), `${mode} ${q}`);
      }
    }
    (disk.vectors as DiskVectors).close();
  });

  test("a damaged vector array is refused by the manifest's checksum and never served", async () => {
    const m = manifest();
    const path = files.enginePath(m);
    const vectors = readContainer(path, undefined, new Set()).located.vectors;
    assert.ok(vectors);
    // One byte inside the float rows, which a load with vectors on disk does not read.
    const fd = openSync(path, "r+");
    try {
      writeSync(fd, Buffer.from([0x7f]), 0, 1, vectors.offset + 13);
    } finally {
      closeSync(fd);
    }
    assert.equal(files.verify(m), null, "sizes alone do not see it");
    assert.match(files.verifyChecksums(m) ?? "", /does not match its checksum/);
    const service = createSearchService({ store, dataDir });
    const r = await service.search({ q: "protein structure", mode: "hybrid" });
    assert.equal(r.mode, "keyword", "the store's keyword search answers");
    assert.equal((await service.status()).serving, null);

    // Truncated: the sizes recorded in the manifest catch it before any checksum is computed.
    truncateSync(path, vectors.offset + 4096);
    assert.match(files.verify(m) ?? "", /has \d+ bytes, the manifest says/);
  });
});
