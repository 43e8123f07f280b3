import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Command, Option } from "commander";
import type { SearchMode } from "../../search/engine.ts";
import { formatTrecRun } from "../../search/eval/beir.ts";
import type { MetricSummary } from "../../search/eval/metrics.ts";
import { RUN_DEPTH, runServiceBeir } from "../../search/eval/service-beir.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { formatCount } from "../format.ts";

interface BeirOptions {
  corpus: string;
  queries: string;
  qrels?: string;
  run: string;
  mode: SearchMode | "all";
  split: "train" | "test";
  json?: boolean;
}

const MODES: SearchMode[] = ["keyword", "vector", "hybrid"];

export function registerBench(program: Command): void {
  const bench = program.command("bench").summary("measure Paperboy (search quality on a BEIR set)");
  bench
    .command("beir")
    .summary("search quality on a BEIR data set, through the product's own search")
    .description(
      `Imports a BEIR corpus into a fresh temporary SQLite store (document ids become synthetic arXiv ids, 1501.00001, 1501.00002, ..., mapped back in the output), builds the search engine with the same code as paperboy embed --rebuild, runs every query through the search service (top ${RUN_DEPTH}), writes a TREC run file (query Q0 doc rank score tag) and, with judgments, prints nDCG@10, Recall@100 and MRR@10. Judgments come from --qrels, else from qrels/<split>.tsv beside the corpus when that file exists. --mode all writes one run per mode to <run>.<mode>. Nothing is written to the configured store.`,
    )
    .requiredOption("--corpus <file>", "corpus.jsonl or corpus.jsonl.gz ({_id, title, text} per line)")
    .requiredOption("--queries <file>", "queries.jsonl ({_id, text} per line)")
    .option("--qrels <file>", "judgments (query-id, corpus-id, score; tab separated)")
    .requiredOption("--run <file>", "where to write the TREC run")
    .addOption(
      new Option("--mode <mode>", "keyword, vector, hybrid or all")
        .choices([...MODES, "all"])
        .default("hybrid"),
    )
    .addOption(
      new Option("--split <split>", "which judgments to use beside the corpus")
        .choices(["train", "test"])
        .default("test"),
    )
    .option("--json", "print the numbers as JSON")
    .action(async (opts: BeirOptions, command: Command) => {
      const ctx = contextFrom(command);
      for (const [flag, path] of [
        ["--corpus", opts.corpus],
        ["--queries", opts.queries],
        ["--qrels", opts.qrels],
      ] as const) {
        if (path !== undefined && !existsSync(path)) {
          ctx.stderr.write(`paperboy: ${flag} ${path}: no such file\n`);
          process.exitCode = EXIT.usage;
          return;
        }
      }
      const besideCorpus = join(dirname(opts.corpus), "qrels", `${opts.split}.tsv`);
      const qrels = opts.qrels ?? (existsSync(besideCorpus) ? besideCorpus : undefined);
      const modes = opts.mode === "all" ? MODES : [opts.mode];
      const report = await runServiceBeir({
        corpus: opts.corpus,
        queries: opts.queries,
        qrels,
        modes,
        logger: ctx.logger,
        onProgress: (p) => ctx.logger.debug(`bench: ${p.phase}`, { done: p.done, total: p.total }),
      });
      for (const r of report.results) {
        const path = modes.length === 1 ? opts.run : `${opts.run}.${r.mode}`;
        writeFileSync(path, formatTrecRun(r.run, `paperboy-${r.mode}`));
      }
      if (opts.json) {
        const results = report.results.map((r) => ({ mode: r.mode, metrics: r.metrics, queryMs: r.queryMs }));
        ctx.stdout.write(`${JSON.stringify({ ...report, qrels: qrels ?? null, results }, null, 2)}\n`);
        return;
      }
      const lines = [
        `${formatCount(report.documents)} documents, ${formatCount(report.queries)} queries` +
          `${qrels ? ` (judged, ${qrels})` : " (no judgments: run written, not scored)"}; ` +
          `engine built in ${(report.buildMs / 1000).toFixed(1)} s`,
      ];
      for (const r of report.results) {
        lines.push(
          `${r.mode.padEnd(8)} ${r.metrics ? metrics(r.metrics) : "not scored"}  (${r.queryMs.toFixed(2)} ms/query)`,
        );
      }
      ctx.stdout.write(`${lines.join("\n")}\n`);
    });
}

function metrics(m: MetricSummary): string {
  return `nDCG@10 ${m.ndcg10.toFixed(4)}  Recall@100 ${m.recall100.toFixed(4)}  MRR@10 ${m.mrr10.toFixed(4)}`;
}
