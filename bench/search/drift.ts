/**
 * What the embedder drift (src/search/service/drift.ts) reads on real text, to choose
 * PAPERBOY_SEARCH_REBUILD_DRIFT: a corpus embedder trained on part of a collection, then the drift of
 * newcomers from the same collection (held out at random) and from other fields. Prints one row per pair.
 *
 *   node --import tsx bench/search/drift.ts [--share 0.8] [--sample 500]
 *
 * Collections: SciFact's 5,183 biomedical abstracts and the 1,130 real arXiv records of the shared snapshot
 * (split by archive: cs, math, physics). Only the vocabulary and idf matter to the drift, so the embedder is
 * trained small (16 dimensions, one pass).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { embedderDrift } from "../../src/search/service/drift.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { trainCorpusEmbedder } from "../../src/search/vector/train.ts";
import { parseSnapshotRecord } from "../../src/sources/arxiv/snapshot.ts";

const { values } = parseArgs({
  options: { share: { type: "string", default: "0.8" }, sample: { type: "string", default: "500" } },
});
const share = Number(values.share);
const sample = Number(values.sample);
const data =
  process.env.PAPERBOY_SHARED_DATA ?? resolve(import.meta.dirname, "..", "..", "..", "shared", "data");

const doc = (id: string, title: string, abstract: string): SearchDocument => ({
  id,
  title,
  abstract,
  authors: [],
});
/** A stable pseudo-random order (by a hash of the id), so a split is the same on every run. */
const shuffled = (docs: SearchDocument[]) =>
  docs
    .map((d) => ({ d, k: createHash("sha256").update(d.id).digest("hex") }))
    .sort((a, b) => (a.k < b.k ? -1 : 1))
    .map((x) => x.d);

const scifact = shuffled(
  gunzipSync(readFileSync(resolve(data, "scifact", "corpus.jsonl.gz")))
    .toString("utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { _id: string; title: string; text: string })
    .map((r) => doc(r._id, r.title, r.text)),
);
const arxiv = readFileSync(resolve(data, "arxiv-abs", "arxiv-metadata-snapshot.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => parseSnapshotRecord(JSON.parse(l)))
  .map((r) => ({ d: doc(r.id, r.title ?? "", r.abstract ?? ""), cat: r.categories?.[0] ?? "" }));
const field = (test: (cat: string) => boolean) => shuffled(arxiv.filter((a) => test(a.cat)).map((a) => a.d));
const fields = {
  "arXiv cs": field((c) => c.startsWith("cs.")),
  "arXiv math": field((c) => c.startsWith("math.")),
  "arXiv physics": field((c) => /^(astro-ph|hep-|cond-mat|gr-qc|nucl-|quant-ph|physics)/.test(c)),
};

function row(base: string, train: SearchDocument[], newcomers: [string, SearchDocument[]][]) {
  const embedder = trainCorpusEmbedder(train, createAnalyzer(), { dimensions: 16, models: 1, epochs: 1 });
  for (const [name, docs] of newcomers) {
    const drift = embedderDrift(embedder, docs.slice(0, sample));
    console.log(
      `| ${base} (${train.length}) | ${name} (${Math.min(sample, docs.length)}) | ${drift?.toFixed(3)} |`,
    );
  }
}

console.log("| trained on | newcomers | drift |");
console.log("| --- | --- | --- |");
const cut = Math.round(scifact.length * share);
row("SciFact", scifact.slice(0, cut), [["SciFact held out", scifact.slice(cut)], ...Object.entries(fields)]);
for (const [name, docs] of Object.entries(fields)) {
  const at = Math.round(docs.length * share);
  row(name, docs.slice(0, at), [
    [`${name} held out`, docs.slice(at)],
    ["SciFact", scifact],
    ...Object.entries(fields).filter(([other]) => other !== name),
  ]);
}
