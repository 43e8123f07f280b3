import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { SearchEngine } from "../../src/search/engine.ts";
import { buildDeltaIndex, embedDelta, SegmentedEngine } from "../../src/search/segmented-engine.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { FlatVectorIndex } from "../../src/search/vector/flat-index.ts";
import { buildDoc } from "./fixtures.ts";

/** Deterministic generated papers over a few topics, so queries have many matches with varied scores. */
const TOPICS = [
  ["adaptation", "shift", "target", "entropy", "normalization", "unlabeled", "domain"],
  ["merging", "weights", "tasks", "interference", "checkpoints", "averaging", "adapters"],
  ["protein", "folding", "structure", "sequence", "contact", "residue", "docking"],
  ["diffusion", "images", "denoising", "sampling", "guidance", "latent", "pixels"],
];
const COMMON = ["model", "method", "results", "learning", "data", "training", "evaluation", "large"];

function generate(n: number, seed: number, prefix: string): SearchDocument[] {
  let x = seed;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const pick = (words: string[]) => words[Math.floor(rand() * words.length)] as string;
  return Array.from({ length: n }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length] as string[];
    const words = (count: number) =>
      Array.from({ length: count }, () => (rand() < 0.6 ? pick(topic) : pick(COMMON))).join(" ");
    return buildDoc({
      id: `${prefix}${i}`,
      title: words(4 + Math.floor(rand() * 4)),
      abstract: `${words(20 + Math.floor(rand() * 20))}.`,
      authors: [`Author ${Math.floor(rand() * 30)}`],
    });
  });
}

const QUERIES = [
  "adaptation shift",
  "protein folding structure",
  "merging weights interference",
  "diffusion guidance",
  "model training data",
  '"target entropy"',
  "sequence docking residue latent",
];

describe("search segments: a base build plus a delta", () => {
  const baseDocs = generate(240, 7, "p");
  const added = generate(40, 99, "new");
  // Changed papers: same ids as base papers, new text (another topic's words).
  const changed = generate(12, 5, "x").map((d, i) => ({ ...d, id: `p${i * 3}` }));
  const removed = ["p1", "p4", "p100"];
  const changedIds = new Set(changed.map((d) => d.id));
  const finalDocs = [
    ...baseDocs.filter((d) => !changedIds.has(d.id) && !removed.includes(d.id)),
    ...changed,
    ...added,
  ];
  let base: SearchEngine;
  let segmented: SegmentedEngine;
  let reference: SearchEngine;
  let rebuilt: SearchEngine;

  before(async () => {
    base = await SearchEngine.build(baseDocs, { train: { dimensions: 32, models: 1, epochs: 3, seed: 1 } });
    const deltaDocs = [...changed, ...added];
    const vectors = await embedDelta(base.embedder, deltaDocs);
    segmented = new SegmentedEngine(base, {
      docs: deltaDocs,
      vectors,
      deleted: [...changed.map((d) => d.id), ...removed],
    });
    // The same papers indexed as one segment on the base's scale (its average field lengths, its embedder).
    reference = new SearchEngine({
      index: buildDeltaIndex(base, finalDocs),
      vectors: new FlatVectorIndex(base.vectors.dimensions, await embedDelta(base.embedder, finalDocs)),
      embedder: base.embedder,
      fusion: base.fusion,
      feedback: base.feedback,
      analyzer: base.analyzer,
    });
    // A real full rebuild with the base's embedder (no retraining): only average lengths differ.
    rebuilt = await SearchEngine.build(finalDocs, { embedder: base.embedder });
  });

  test("keyword results equal one index over the same papers (ids and scores)", async () => {
    for (const q of QUERIES) {
      const got = await segmented.search(q, { mode: "keyword", limit: 50 });
      const want = await reference.search(q, { mode: "keyword", limit: 50 });
      assert.ok(want.hits.length > 0, q);
      assert.deepEqual(
        got.hits.map((h) => h.id),
        want.hits.map((h) => h.id),
        q,
      );
      got.hits.forEach((h, i) => {
        assert.ok(Math.abs(h.score - (want.hits[i]?.score ?? 0)) < 1e-9, `${q}: ${h.id}`);
      });
    }
  });

  test("keyword results match a full rebuild's papers", async () => {
    for (const q of QUERIES) {
      const got = await segmented.search(q, { mode: "keyword", limit: 1000 });
      const want = await rebuilt.search(q, { mode: "keyword", limit: 1000 });
      assert.deepEqual(new Set(got.hits.map((h) => h.id)), new Set(want.hits.map((h) => h.id)), q);
      assert.equal(got.hits[0]?.id, want.hits[0]?.id, q);
    }
  });

  test("deleted and changed papers leave the base; changed ones are found by their new text", async () => {
    const all = await segmented.search("model method results learning data", {
      mode: "keyword",
      limit: 1000,
    });
    const ids = all.hits.map((h) => h.id);
    for (const id of removed) assert.ok(!ids.includes(id), id);
    assert.equal(ids.length, new Set(ids).size, "no paper twice");
    assert.equal(segmented.size, finalDocs.length);
    assert.ok(!segmented.has("p1"));
    assert.ok(segmented.has("new3") && segmented.has("p0"));
    // p0 changed: its new title's words find it, ranked as the reference ranks it.
    const p0 = changed[0] as SearchDocument;
    const got = await segmented.search(p0.title, { mode: "keyword", limit: 10 });
    const want = await reference.search(p0.title, { mode: "keyword", limit: 10 });
    assert.deepEqual(
      got.hits.map((h) => h.id),
      want.hits.map((h) => h.id),
    );
    assert.ok(got.hits.some((h) => h.id === "p0"));
  });

  test("vector and hybrid results equal one index over the same papers; new papers are found by meaning", async () => {
    for (const mode of ["vector", "hybrid"] as const) {
      for (const q of QUERIES) {
        const got = await segmented.search(q, { mode, limit: 20 });
        const want = await reference.search(q, { mode, limit: 20 });
        assert.deepEqual(
          got.hits.map((h) => h.id),
          want.hits.map((h) => h.id),
          `${mode} ${q}`,
        );
      }
    }
    for (const doc of added.slice(0, 5)) {
      const found = await segmented.search(`${doc.title}. ${doc.abstract}`, { mode: "vector", limit: 5 });
      assert.equal(found.hits[0]?.id, doc.id);
    }
  });

  test("similar papers come from both segments, for base and new papers alike", async () => {
    for (const id of ["new0", "p2", "p0"]) {
      const got = await segmented.similar(id, 15);
      const want = await reference.similar(id, 15);
      assert.deepEqual(
        got.map((h) => h.id),
        want.map((h) => h.id),
        id,
      );
      assert.ok(!got.some((h) => removed.includes(h.id)));
    }
    const fromBase = await segmented.similar("p2", 30);
    assert.ok(
      fromBase.some((h) => h.id.startsWith("new")),
      "a new paper is among a base paper's similar ones",
    );
    assert.deepEqual(await segmented.similar("p1", 5), []);
  });

  test("without a delta the segmented engine answers as the base", async () => {
    const plain = new SegmentedEngine(base);
    for (const q of QUERIES) {
      assert.deepEqual(await plain.search(q), await base.search(q));
    }
    assert.deepEqual(await plain.similar("p2", 5), await base.similar("p2", 5));
  });
});
