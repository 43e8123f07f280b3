import { type Command, Option } from "commander";
import type { SearchMode } from "../../search/engine.ts";
import { RUN_DEPTH } from "../../search/eval/beir.ts";

export interface BeirOptions {
  corpus: string;
  queries: string;
  qrels?: string;
  run: string;
  mode: SearchMode | "all";
  split: "train" | "test";
  json?: boolean;
}

export const MODES: SearchMode[] = ["keyword", "vector", "hybrid"];

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
    .action(async (opts: BeirOptions, command: Command) =>
      (await import("../actions/bench.ts")).runBenchBeir(opts, command),
    );
}
