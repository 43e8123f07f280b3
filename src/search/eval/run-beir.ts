import type { Logger } from "../../log.ts";
import { type EngineOptions, SearchEngine, type SearchMode } from "../engine.ts";
import type { SearchHit } from "../types.ts";
import { type BeirQuery, readBeirCorpus, readBeirQrels, readBeirQueries } from "./beir.ts";
import { evaluateRun, type Judgments, type MetricSummary } from "./metrics.ts";

export interface BeirRunOptions {
  corpus: string;
  queries: string;
  qrels: string;
  modes: SearchMode[];
  /** Results kept per query (the run file's depth). Default 100. */
  depth?: number;
  engine?: EngineOptions;
  logger?: Logger;
}

export interface BeirModeResult {
  mode: SearchMode;
  metrics: MetricSummary;
  run: Map<string, SearchHit[]>;
  /** Mean milliseconds per query. */
  queryMs: number;
}

export interface BeirReport {
  documents: number;
  judgedQueries: number;
  buildMs: number;
  /** Heap and RSS growth while building, in MiB (approximate: includes garbage not yet collected). */
  buildHeapMiB: number;
  results: BeirModeResult[];
  engine: SearchEngine;
  qrels: Map<string, Map<string, number>>;
}

/**
 * Indexes a BEIR set and runs every judged query through `SearchEngine.search`, the product's code path, for
 * each mode; evaluates the top `depth` with nDCG@10, Recall@100 and MRR@10.
 */
export async function runBeir(options: BeirRunOptions): Promise<BeirReport> {
  const [docs, queries, qrels] = await Promise.all([
    readBeirCorpus(options.corpus),
    readBeirQueries(options.queries),
    readBeirQrels(options.qrels),
  ]);
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const engine = await SearchEngine.build(docs, { ...options.engine, logger: options.logger });
  const buildMs = performance.now() - started;
  const buildHeapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const judged = queries.filter((q) => qrels.has(q.id));
  const results: BeirModeResult[] = [];
  for (const mode of options.modes) {
    const { run, queryMs } = await runQueries(engine, judged, mode, options.depth ?? 100);
    results.push({ mode, run, queryMs, metrics: evaluate(run, qrels) });
  }
  return {
    documents: docs.length,
    judgedQueries: judged.length,
    buildMs,
    buildHeapMiB,
    results,
    engine,
    qrels,
  };
}

export async function runQueries(
  engine: SearchEngine,
  queries: readonly BeirQuery[],
  mode: SearchMode,
  depth: number,
): Promise<{ run: Map<string, SearchHit[]>; queryMs: number }> {
  const run = new Map<string, SearchHit[]>();
  const started = performance.now();
  for (const q of queries) run.set(q.id, (await engine.search(q.text, { mode, limit: depth })).hits);
  return { run, queryMs: queries.length === 0 ? 0 : (performance.now() - started) / queries.length };
}

/** Metrics of a run against the judgments of the queries in `only` (all judged queries by default). */
export function evaluate(
  run: ReadonlyMap<string, readonly SearchHit[]>,
  qrels: ReadonlyMap<string, Judgments>,
  only?: ReadonlySet<string>,
): MetricSummary {
  const ids = new Map<string, string[]>();
  for (const [q, hits] of run)
    ids.set(
      q,
      hits.map((h) => h.id),
    );
  const judged = only ? new Map([...qrels].filter(([q]) => only.has(q))) : qrels;
  return evaluateRun(ids, judged);
}
