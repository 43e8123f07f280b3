import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { PackedDocuments } from "../../src/search/documents.ts";
import { buildKeywordIndex } from "../../src/search/index/build.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { sampleTrainingPairs } from "../../src/search/vector/train.ts";
import { shared } from "../helpers/paths.ts";

/** The shared arXiv snapshot's papers as the engine reads them, plus the awkward cases. */
function documents(): SearchDocument[] {
  const lines = readFileSync(shared("arxiv-abs", "arxiv-metadata-snapshot.jsonl"), "utf8").split("\n");
  const docs: SearchDocument[] = lines
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { id: string; title: string; abstract: string; authors: string })
    .map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, authors: r.authors.split(", ") }));
  docs.push(
    { id: "x.1", title: "", abstract: "", authors: [] },
    {
      id: "x.2",
      title: "Zürich — 東京 🚀 naïve",
      abstract: "Ω ≤ ∞; \t tabs\nand lines",
      authors: ["Émilie", ""],
    },
    { id: "x.3", title: "No authors", abstract: "Only an abstract.", authors: [] },
  );
  return docs;
}

describe("packed documents", () => {
  test("every document comes back as it went in, by number, by slice and in order", () => {
    const docs = documents();
    const packed = new PackedDocuments();
    for (const d of docs) packed.push(d);
    assert.equal(packed.length, docs.length);
    assert.ok(docs.length > 1000);
    for (const [i, d] of docs.entries()) assert.deepEqual(packed.at(i), d);
    assert.deepEqual([...packed], docs);
    assert.deepEqual(packed.slice(5, 12), docs.slice(5, 12));
    assert.deepEqual(packed.slice(docs.length - 2, docs.length + 5), docs.slice(docs.length - 2));
    assert.equal(packed.at(docs.length), undefined);
  });

  test("a build reads the same from them as from the array: keyword index and training pairs", () => {
    const docs = documents();
    const packed = new PackedDocuments();
    for (const d of docs) packed.push(d);
    const analyzer = createAnalyzer();
    const a = buildKeywordIndex(docs, analyzer).data;
    const b = buildKeywordIndex(packed, analyzer).data;
    assert.deepEqual(b.ids, a.ids);
    assert.deepEqual(b.terms, a.terms);
    assert.deepEqual(b.docBytes, a.docBytes);
    assert.deepEqual(b.posBytes, a.posBytes);
    assert.deepEqual(b.impacts, a.impacts);
    assert.deepEqual(sampleTrainingPairs(packed, 500, 7), sampleTrainingPairs(docs, 500, 7));
  });

  test("text holding the field separator is refused with the paper named", () => {
    const packed = new PackedDocuments();
    assert.throws(
      () => packed.push({ id: "2401.00001", title: "a\u0000b", abstract: "", authors: [] }),
      /2401\.00001.*NUL/,
    );
    assert.equal(packed.length, 0);
  });
});
