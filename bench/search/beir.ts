/**
 * BEIR evaluation of the search engine: indexes a corpus, runs every judged query through the product's search
 * code path, writes a TREC run file (top 100 per query) and prints nDCG@10, Recall@100 and MRR@10.
 *
 *   node --import tsx bench/search/beir.ts [--corpus corpus.jsonl[.gz]] [--queries queries.jsonl]
 *     [--qrels qrels.tsv] [--run out.trec] [--mode keyword|vector|hybrid|all] [--folds]
 *     [--vector-share 0.5] [--epochs 1] [--dimensions 256] [--models 2] [--seed 1]
 *
 * Defaults read SciFact from ../shared/data/scifact (PAPERBOY_SHARED_DATA overrides) with its train judgments.
 * With --mode all, each mode's run goes to `<run>.<mode>`. --folds also prints the metrics on each half of the
 * queries (split by a hash of the query id), for tune-on-one-half, report-on-the-other.
 */
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLogger } from "../../src/log.ts";
import type { SearchMode } from "../../src/search/engine.ts";
import { formatTrecRun, splitFolds } from "../../src/search/eval/beir.ts";
import type { MetricSummary } from "../../src/search/eval/metrics.ts";
import { evaluate, runBeir } from "../../src/search/eval/run-beir.ts";
import { DEFAULT_FUSION } from "../../src/search/rank/fusion.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const data = process.env.PAPERBOY_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data");
const MODES: SearchMode[] = ["keyword", "vector", "hybrid"];

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: resolve(data, "scifact", "corpus.jsonl.gz") },
    queries: { type: "string", default: resolve(data, "scifact", "queries.jsonl") },
    qrels: { type: "string", default: resolve(data, "scifact", "qrels", "train.tsv") },
    run: { type: "string" },
    mode: { type: "string", default: "all" },
    folds: { type: "boolean", default: false },
    "vector-share": { type: "string" },
    epochs: { type: "string" },
    dimensions: { type: "string" },
    models: { type: "string" },
    seed: { type: "string" },
  },
});

const modes = values.mode === "all" ? MODES : [values.mode as SearchMode];
if (!modes.every((m) => MODES.includes(m))) {
  console.error(`--mode must be keyword, vector, hybrid or all, got "${values.mode}"`);
  process.exit(2);
}
const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const maxVectorShare = number(values["vector-share"]);

const report = await runBeir({
  corpus: values.corpus,
  queries: values.queries,
  qrels: values.qrels,
  modes,
  logger: createLogger("info"),
  engine: {
    fusion: maxVectorShare === undefined ? DEFAULT_FUSION : { ...DEFAULT_FUSION, maxVectorShare },
    train: {
      epochs: number(values.epochs),
      dimensions: number(values.dimensions),
      models: number(values.models),
      seed: number(values.seed),
    },
  },
});

const fmt = (m: MetricSummary) =>
  `nDCG@10 ${m.ndcg10.toFixed(4)}  Recall@100 ${m.recall100.toFixed(4)}  MRR@10 ${m.mrr10.toFixed(4)}`;
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(
  `${report.documents} documents, ${report.judgedQueries} judged queries; built in ${(report.buildMs / 1000).toFixed(1)} s` +
    ` (heap +${report.buildHeapMiB.toFixed(0)} MiB, process RSS ${rss.toFixed(0)} MiB)`,
);
const folds = splitFolds(report.qrels.keys());
for (const r of report.results) {
  console.log(`${r.mode.padEnd(8)} ${fmt(r.metrics)}  (${r.queryMs.toFixed(2)} ms/query)`);
  if (values.folds) {
    folds.forEach((fold, i) => {
      console.log(`  fold ${i + 1} (${fold.size} queries) ${fmt(evaluate(r.run, report.qrels, fold))}`);
    });
  }
  if (values.run) {
    const path = modes.length === 1 ? values.run : `${values.run}.${r.mode}`;
    writeFileSync(path, formatTrecRun(r.run, `paperboy-${r.mode}`));
  }
}
