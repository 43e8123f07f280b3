import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ArxivId, IsoTimestamp, PaperRecord } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import { openSqliteStore } from "../../store/sqlite.ts";
import type { Store } from "../../store/store.ts";
import type { EngineOptions, SearchMode } from "../engine.ts";
import { buildSearchEngine, createSearchService, EngineFiles } from "../service/index.ts";
import type { SearchDocument, SearchHit } from "../types.ts";
import { RUN_DEPTH, readBeirCorpus, readBeirQrels, readBeirQueries } from "./beir.ts";
import { evaluateRun, type MetricSummary } from "./metrics.ts";

/**
 * BEIR documents have their own ids ("4983", "doc-17"); the store keys papers by arXiv id. Document i gets the
 * synthetic new-style id of month 1501 + i / 99,999 and number i % 99,999 + 1 (`1501.00001`, `1501.00002`,
 * ...; valid arXiv ids, 99,999 per month), and results are mapped back before they are written or scored.
 */
export class BeirIdMap {
  private readonly toPaper = new Map<string, ArxivId>();
  private readonly toDoc = new Map<string, string>();

  add(docId: string): ArxivId {
    const known = this.toPaper.get(docId);
    if (known) return known;
    const i = this.toPaper.size;
    const months = 2015 * 12 + Math.floor(i / 99_999);
    const yy = Math.floor(months / 12) % 100;
    const mm = (months % 12) + 1;
    const id =
      `${String(yy).padStart(2, "0")}${String(mm).padStart(2, "0")}.${String((i % 99_999) + 1).padStart(5, "0")}` as ArxivId;
    this.toPaper.set(docId, id);
    this.toDoc.set(id, docId);
    return id;
  }

  docOf(paperId: string): string | undefined {
    return this.toDoc.get(paperId);
  }
}

export interface ServiceBeirOptions {
  corpus: string;
  queries: string;
  /** Judgments; without them the run is written but not scored. */
  qrels?: string;
  modes: SearchMode[];
  /** Engine options beyond the defaults (tests train small embedders). */
  engine?: Omit<EngineOptions, "embedder" | "logger">;
  logger: Logger;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

export interface ServiceBeirResult {
  mode: SearchMode;
  /** Per query, the results as BEIR document ids, best first (up to 100). */
  run: Map<string, SearchHit[]>;
  metrics: MetricSummary | null;
  queryMs: number;
}

export interface ServiceBeirReport {
  documents: number;
  queries: number;
  buildMs: number;
  results: ServiceBeirResult[];
}

/**
 * Runs a BEIR set through the product: the corpus is imported into a fresh temporary SQLite store, the engine
 * is built by the code `paperboy embed --rebuild` runs, and every query (the judged ones when judgments are
 * given) goes through `SearchService.search`, top 100. The temporary store and engine are removed after.
 */
export async function runServiceBeir(options: ServiceBeirOptions): Promise<ServiceBeirReport> {
  const [docs, allQueries, qrels] = await Promise.all([
    readBeirCorpus(options.corpus),
    readBeirQueries(options.queries),
    options.qrels ? readBeirQrels(options.qrels) : Promise.resolve(null),
  ]);
  const queries = qrels ? allQueries.filter((q) => qrels.has(q.id)) : allQueries;
  const dir = mkdtempSync(join(tmpdir(), "paperboy-beir-"));
  const store = openSqliteStore(join(dir, "beir.db"));
  try {
    await store.migrate();
    const ids = new BeirIdMap();
    await importDocs(store, docs, ids, options.onProgress);
    const started = performance.now();
    await buildSearchEngine({
      store,
      files: new EngineFiles(dir),
      embedderName: "corpus",
      engine: options.engine,
      logger: options.logger,
      onProgress: options.onProgress,
    });
    const buildMs = performance.now() - started;
    const service = createSearchService({ store, dataDir: dir, logger: options.logger });
    const results: ServiceBeirResult[] = [];
    for (const mode of options.modes) {
      const run = new Map<string, SearchHit[]>();
      const t0 = performance.now();
      for (const [i, q] of queries.entries()) {
        // The claims as written: a spelling correction would change what the judgments are about.
        const found = await service.search({ q: q.text, mode, perPage: RUN_DEPTH, spelling: "off" });
        run.set(
          q.id,
          found.hits.flatMap((h) => {
            const doc = ids.docOf(h.paper.id);
            return doc === undefined ? [] : [{ id: doc, score: h.score }];
          }),
        );
        if ((i + 1) % 100 === 0)
          options.onProgress?.({ phase: `queries (${mode})`, done: i + 1, total: queries.length });
      }
      const queryMs = queries.length === 0 ? 0 : (performance.now() - t0) / queries.length;
      const metrics = qrels
        ? evaluateRun(new Map([...run].map(([q, hits]) => [q, hits.map((h) => h.id)])), qrels)
        : null;
      results.push({ mode, run, metrics, queryMs });
    }
    return { documents: docs.length, queries: queries.length, buildMs, results };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports the corpus as papers, in batches, under synthetic ids. */
async function importDocs(
  store: Store,
  docs: readonly SearchDocument[],
  ids: BeirIdMap,
  onProgress?: ServiceBeirOptions["onProgress"],
): Promise<void> {
  const date = "2015-01-01T00:00:00.000Z" as IsoTimestamp;
  const batch = 1_000;
  await store.bulkLoad(async () => {
    for (let i = 0; i < docs.length; i += batch) {
      const papers: PaperRecord[] = docs.slice(i, i + batch).map((d) => ({
        id: ids.add(d.id),
        sources: ["arxiv-snapshot"],
        versions: [{ version: 1, date }],
        title: d.title,
        abstract: d.abstract,
        authors: [],
        categories: [],
      }));
      await store.ingest({ papers });
      onProgress?.({ phase: "importing", done: Math.min(docs.length, i + batch), total: docs.length });
    }
  });
}
