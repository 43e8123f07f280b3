import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { normalize } from "../../src/search/vector/embedder.ts";
import { FlatVectorIndex } from "../../src/search/vector/flat-index.ts";
import { HnswVectorIndex } from "../../src/search/vector/hnsw-index.ts";
import { nearest } from "../../src/search/vector/nearest.ts";
import { Random } from "../../src/search/vector/random.ts";
import type { VectorIndex } from "../../src/search/vector/vector-index.ts";

/** `n` random unit vectors (Gaussian directions), one after another. */
function randomRows(n: number, dimensions: number, seed: number): Float32Array {
  const random = new Random(seed);
  const rows = new Float32Array(n * dimensions);
  for (let i = 0; i < n; i++) {
    const row = rows.subarray(i * dimensions, (i + 1) * dimensions);
    for (let j = 0; j < dimensions; j++) row[j] = random.gaussian();
    normalize(row);
  }
  return rows;
}

function row(rows: Float32Array, i: number, dimensions: number): Float32Array {
  return rows.slice(i * dimensions, (i + 1) * dimensions);
}

const DIMENSIONS = 24;

/** What every VectorIndex must do; run for each implementation. */
function vectorIndexContract(
  name: string,
  make: (dimensions: number) => VectorIndex,
  reopen: (path: string) => VectorIndex,
) {
  describe(`VectorIndex contract: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "paperboy-vectors-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const rows = randomRows(300, DIMENSIONS, 7);

    test("a stored row is its own nearest neighbour, with score 1", () => {
      const index = make(DIMENSIONS);
      index.add(rows);
      assert.equal(index.size, 300);
      for (const i of [0, 17, 299]) {
        const [best] = index.search(row(rows, i, DIMENSIONS), 3);
        assert.equal(best?.doc, i);
        assert.ok(Math.abs((best?.score ?? 0) - 1) < 0.02, `score ${best?.score}`);
      }
    });

    test("returns k hits best first, and all when k exceeds the size", () => {
      const index = make(DIMENSIONS);
      index.add(rows.subarray(0, 20 * DIMENSIONS));
      const hits = index.search(row(rows, 5, DIMENSIONS), 8);
      assert.equal(hits.length, 8);
      for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0));
      assert.equal(index.search(row(rows, 5, DIMENSIONS), 50).length, 20);
      assert.deepEqual(index.search(row(rows, 5, DIMENSIONS), 0), []);
    });

    test("the filter leaves documents out, however many it rejects", () => {
      const index = make(DIMENSIONS);
      index.add(rows);
      const odd = index.search(row(rows, 4, DIMENSIONS), 10, (doc) => doc % 2 === 1);
      assert.equal(odd.length, 10);
      assert.ok(odd.every((h) => h.doc % 2 === 1));
      const onlyOne = index.search(row(rows, 4, DIMENSIONS), 10, (doc) => doc === 250);
      assert.deepEqual(
        onlyOne.map((h) => h.doc),
        [250],
      );
    });

    test("add appends rows after those held, numbering on", () => {
      const index = make(DIMENSIONS);
      index.add(rows.subarray(0, 100 * DIMENSIONS));
      index.add(rows.subarray(100 * DIMENSIONS, 150 * DIMENSIONS));
      assert.equal(index.size, 150);
      assert.equal(index.search(row(rows, 120, DIMENSIONS), 1)[0]?.doc, 120);
      assert.throws(() => index.add(new Float32Array(DIMENSIONS + 1)), /whole number/);
    });

    test("saved and opened again, it answers the same", () => {
      const index = make(DIMENSIONS);
      index.add(rows);
      const path = join(dir, `${name}.index`);
      index.save(path);
      const opened = reopen(path);
      assert.equal(opened.size, index.size);
      for (const i of [3, 30, 200]) {
        const query = row(rows, (i * 7) % 300, DIMENSIONS);
        assert.deepEqual(opened.search(query, 10), index.search(query, 10));
      }
    });
  });
}

vectorIndexContract(
  "flat",
  (d) => new FlatVectorIndex(d, new Float32Array(0)),
  (path) => FlatVectorIndex.load(path),
);
vectorIndexContract(
  "hnsw",
  (d) => HnswVectorIndex.empty(d, { threads: 1 }),
  (path) => HnswVectorIndex.open(path, DIMENSIONS, { threads: 1 }),
);

describe("HNSW against exact search", () => {
  test("recall@10 on random unit vectors is at least 0.95, raw and as the engine uses it (seeded)", async () => {
    const dimensions = 32;
    const rows = randomRows(10_000, dimensions, 42);
    const flat = new FlatVectorIndex(dimensions, rows);
    const queries = randomRows(200, dimensions, 43);
    const recall = (search: (query: Float32Array) => { doc: number }[]) => {
      let found = 0;
      for (let q = 0; q < 200; q++) {
        const query = row(queries, q, dimensions);
        const exact = new Set(flat.search(query, 10).map((h) => h.doc));
        for (const h of search(query)) if (exact.has(h.doc)) found++;
      }
      return found / (200 * 10);
    };
    const f32 = await HnswVectorIndex.build(dimensions, rows, { threads: 1, quantization: "f32" });
    const i8 = await HnswVectorIndex.build(dimensions, rows, { threads: 1 });
    const raw = recall((q) => f32.search(q, 10));
    const quantised = recall((q) => nearest(i8, flat, q, 10));
    assert.ok(raw >= 0.95, `f32 graph recall@10 ${raw}`);
    assert.ok(quantised >= 0.95, `i8 graph + exact rescoring recall@10 ${quantised}`);
  });

  test("a memory-mapped index refuses to grow; bad files and options get clear errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "paperboy-vectors-"));
    try {
      const rows = randomRows(50, DIMENSIONS, 1);
      const index = HnswVectorIndex.empty(DIMENSIONS, { threads: 1 });
      index.add(rows);
      index.save(join(dir, "a.hnsw"));
      const mapped = HnswVectorIndex.open(join(dir, "a.hnsw"), DIMENSIONS);
      assert.throws(() => mapped.add(rows.subarray(0, DIMENSIONS)), /read-only/);
      assert.throws(() => HnswVectorIndex.open(join(dir, "a.hnsw"), DIMENSIONS + 1), /dimensional/);
      assert.throws(() => HnswVectorIndex.open(join(dir, "missing.hnsw"), DIMENSIONS), /cannot open/);
      const bad = { quantization: "f8" } as unknown as { quantization: "i8" };
      assert.throws(() => HnswVectorIndex.empty(DIMENSIONS, bad), /unknown vector quantization "f8"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
