import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { formatTrecRun } from "../../search/eval/beir.ts";
import type { MetricSummary } from "../../search/eval/metrics.ts";
import { runServiceBeir } from "../../search/eval/service-beir.ts";
import { type BeirOptions, MODES } from "../commands/bench.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { formatCount } from "../format.ts";

export async function runBenchBeir(opts: BeirOptions, command: Command): Promise<void> {
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
}

function metrics(m: MetricSummary): string {
  return `nDCG@10 ${m.ndcg10.toFixed(4)}  Recall@100 ${m.recall100.toFixed(4)}  MRR@10 ${m.mrr10.toFixed(4)}`;
}
