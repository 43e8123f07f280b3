/**
 * Tunes the hybrid mode honestly: builds the engine once, runs the hybrid mode for a grid of vector shares
 * and vector feedback settings, and for each half of the judged queries picks the weight best on that half and reports it on the
 * other half (2-fold cross-validation), besides the whole-set numbers.
 *
 *   node --import tsx bench/search/tune.ts [--corpus ...] [--queries ...] [--qrels ...] [--epochs 1]
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLogger } from "../../src/log.ts";
import { SearchEngine } from "../../src/search/engine.ts";
import { readBeirCorpus, readBeirQrels, readBeirQueries, splitFolds } from "../../src/search/eval/beir.ts";
import { evaluate, runQueries } from "../../src/search/eval/run-beir.ts";
import { DEFAULT_FUSION } from "../../src/search/rank/fusion.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const data = process.env.PAPERBOY_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data");
const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: resolve(data, "scifact", "corpus.jsonl.gz") },
    queries: { type: "string", default: resolve(data, "scifact", "queries.jsonl") },
    qrels: { type: "string", default: resolve(data, "scifact", "qrels", "train.tsv") },
    epochs: { type: "string" },
  },
});
const docs = await readBeirCorpus(values.corpus);
const qrels = await readBeirQrels(values.qrels);
const queries = (await readBeirQueries(values.queries)).filter((q) => qrels.has(q.id));
const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
const built = await SearchEngine.build(docs, { train: { epochs }, logger: createLogger("info") });
const folds = splitFolds(qrels.keys());
const rows: Array<{ label: string; all: number; fold: number[] }> = [];
for (const maxVectorShare of [0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
  for (const [documents, weight] of [
    [0, 0],
    [3, 1],
    [3, 2],
    [5, 2],
  ] as const) {
    const engine = new SearchEngine({
      ...built,
      fusion: { ...DEFAULT_FUSION, maxVectorShare },
      feedback: { documents, weight },
    });
    const { run } = await runQueries(engine, queries, "hybrid", 100);
    const label = `maxVectorShare ${maxVectorShare.toFixed(2)} feedback ${documents}x${weight}`;
    const row = {
      label,
      all: evaluate(run, qrels).ndcg10,
      fold: folds.map((f) => evaluate(run, qrels, f).ndcg10),
    };
    rows.push(row);
    console.log(
      `${label.padEnd(36)} all ${row.all.toFixed(4)}  ${row.fold.map((x, i) => `fold${i + 1} ${x.toFixed(4)}`).join("  ")}`,
    );
  }
}
folds.forEach((_, i) => {
  const other = 1 - i;
  const best = rows.reduce((a, b) => ((b.fold[i] as number) > (a.fold[i] as number) ? b : a));
  console.log(
    `tuned on fold ${i + 1}: ${best.label} -> fold ${other + 1} nDCG@10 ${(best.fold[other] as number).toFixed(4)}`,
  );
});
