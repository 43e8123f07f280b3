import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SearchEngine } from "../../src/search/engine.ts";
import { loadEngine, saveEngine } from "../../src/search/persist/engine-file.ts";
import { HnswVectorIndex } from "../../src/search/vector/hnsw-index.ts";
import { HashEmbedder, syntheticPapers } from "../helpers/hash-embedding.ts";
import { buildDoc, SMALL_CORPUS } from "./fixtures.ts";

const PAPERS = syntheticPapers(3000, 40, 5);
const embedder = new HashEmbedder(48);
const QUERIES = [PAPERS[3], PAPERS[500], PAPERS[2999], PAPERS[1234]].map((p) => p?.title ?? "");

describe("engine with an HNSW vector index", () => {
  let flat: SearchEngine;
  let graph: SearchEngine;
  const dir = mkdtempSync(join(tmpdir(), "paperboy-engine-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    flat = await SearchEngine.build(PAPERS, { embedder });
    graph = await SearchEngine.build(PAPERS, {
      embedder,
      vectorIndex: { hnswFrom: 1000, hnsw: { threads: 1 } },
    });
  });

  test("a small library is searched exactly, a large one through the graph", () => {
    assert.equal(flat.ann.kind, "flat");
    assert.ok(graph.ann instanceof HnswVectorIndex);
    assert.equal(graph.ann.size, PAPERS.length);
  });

  test("vector and hybrid results match exact search (rescored candidates, same scores)", async () => {
    let same = 0;
    let total = 0;
    for (const query of QUERIES) {
      for (const mode of ["vector", "hybrid"] as const) {
        const exact = (await flat.search(query, { mode, limit: 10 })).hits;
        const approximate = (await graph.search(query, { mode, limit: 10 })).hits;
        const scores = new Map(exact.map((h) => [h.id, h.score]));
        for (const hit of approximate) {
          total++;
          if (!scores.has(hit.id)) continue;
          same++;
          assert.ok(
            Math.abs((scores.get(hit.id) as number) - hit.score) < 1e-9,
            `${mode} ${query}: ${hit.id}`,
          );
        }
      }
    }
    assert.ok(same / total >= 0.95, `overlap ${same}/${total}`);
  });

  test("similar papers: best first, never the paper itself, limited, empty for an unknown id", async () => {
    for (const engine of [flat, graph]) {
      const hits = await engine.similar("p42", 7);
      assert.equal(hits.length, 7);
      assert.ok(hits.every((h) => h.id !== "p42"));
      for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0));
      assert.deepEqual(await engine.similar("no-such-paper", 5), []);
      assert.deepEqual(await engine.similar("p42", 0), []);
    }
    const exact = new Set((await flat.similar("p42", 10)).map((h) => h.id));
    const found = (await graph.similar("p42", 10)).filter((h) => exact.has(h.id)).length;
    assert.ok(found >= 9, `similar overlap ${found}/10`);
  });

  test("a paper with no vector has no similar papers", async () => {
    const engine = await SearchEngine.build(
      [...SMALL_CORPUS, buildDoc({ id: "empty", title: "", abstract: "" })],
      { embedder },
    );
    assert.deepEqual(await engine.similar("empty", 3), []);
    assert.equal((await engine.similar("tta", 3)).length, 3);
  });

  test("saved and loaded, the graph comes back from its own file and answers the same", async () => {
    const path = join(dir, "engine.pbs");
    saveEngine(graph, path);
    const graphs = readdirSync(dir).filter((n) => n.endsWith(".hnsw"));
    assert.equal(graphs.length, 1);
    const loaded = loadEngine(path, { embedder });
    assert.ok(loaded.ann instanceof HnswVectorIndex);
    for (const query of QUERIES) {
      for (const mode of ["keyword", "vector", "hybrid"] as const) {
        assert.deepEqual(
          await loaded.search(query, { mode }),
          await graph.search(query, { mode }),
          `${mode} ${query}`,
        );
      }
    }
    assert.deepEqual(await loaded.similar("p7", 10), await graph.similar("p7", 10));
  });

  test("a rebuild writes a new graph file; an engine still using the old one keeps answering", async () => {
    const path = join(dir, "rebuilt.pbs");
    saveEngine(graph, path);
    const [oldGraph] = readdirSync(dir).filter((n) => n.startsWith("rebuilt.pbs.") && n.endsWith(".hnsw"));
    const serving = loadEngine(path, { embedder });
    const before = await serving.similar("p9", 10);
    const rebuilt = await SearchEngine.build(PAPERS.slice(0, 2000), {
      embedder,
      vectorIndex: { hnswFrom: 1000, hnsw: { threads: 1 } },
    });
    saveEngine(rebuilt, path);
    assert.equal(existsSync(join(dir, oldGraph as string)), false, "the old graph file is removed");
    assert.deepEqual(await serving.similar("p9", 10), before, "the mapped old graph still answers");
    const fresh = loadEngine(path, { embedder });
    assert.equal(fresh.size, 2000);
    assert.equal(fresh.ann.size, 2000);
  });

  test("an engine saved without a graph loads without one, and old graph files are cleared", async () => {
    const path = join(dir, "small.pbs");
    saveEngine(graph, path);
    saveEngine(flat, path);
    assert.equal(readdirSync(dir).filter((n) => n.startsWith("small.pbs.")).length, 0);
    assert.equal(loadEngine(path, { embedder }).ann.kind, "flat");
  });
});
