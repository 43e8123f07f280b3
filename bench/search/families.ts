/**
 * Search quality by query family: known-item keywords, title phrases, summary sentences, author names, typos
 * (from the Hugging Face daily papers) and SciFact claims, each scored through the product's search service in
 * every mode, on a tune half and a held-out half of the queries.
 *
 *   node --import tsx bench/search/families.ts [--split tune|held-out|both] [--limit 400] [--seed 1]
 *     [--family known-item,author,...] [--help]
 *
 * Data: ../shared/data beside the repository (PAPERBOY_SHARED_DATA overrides), read in place. Each corpus is
 * imported into a temporary SQLite store and its engine built by the code `paperboy embed --rebuild` runs
 * (default settings), as `paperboy bench beir` does; keyword, vector and hybrid are asked for explicitly with
 * spelling help off (as the BEIR harness does), "default" is the search as a reader's request arrives (no mode,
 * spelling "correct"). "bm25" is the yardstick of issue 16: a plain BM25 (k1 1.2, b 0.75) over one field
 * (title, authors and abstract run together), no stemming, no field weights, run on the engine's own index code.
 * Metrics: `src/search/eval/metrics.ts`; split: `splitFolds` (hash of the query id). Queries:
 * `families-queries.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { IsoTimestamp, PaperRecord } from "../../src/core/index.ts";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { createLogger } from "../../src/log.ts";
import type { SearchMode } from "../../src/search/engine.ts";
import { RUN_DEPTH, splitFolds } from "../../src/search/eval/beir.ts";
import { evaluateRun, type MetricSummary } from "../../src/search/eval/metrics.ts";
import { BeirIdMap } from "../../src/search/eval/service-beir.ts";
import { buildIndex } from "../../src/search/index/build.ts";
import { keywordTopK } from "../../src/search/keyword.ts";
import { parseQuery } from "../../src/search/query/parse.ts";
import { buildSearchEngine, createSearchService, EngineFiles } from "../../src/search/service/index.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { FAMILY_NAMES, type Family, loadFamilies, type Query } from "./families-queries.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const data = process.env.PAPERBOY_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data");

const USAGE = `Search quality by query family, every mode, tune and held-out halves.

  node --import tsx bench/search/families.ts [options]

  --split tune|held-out|both   which half of each family to report (default both)
  --limit N                    queries sampled per family before the split (default 400)
  --seed N                     sampling seed (default 1)
  --family a,b                 only these families (${FAMILY_NAMES.join(", ")}); typo implies known-item's sample
  --help                       this text`;

const { values } = parseArgs({
  options: {
    split: { type: "string", default: "both" },
    limit: { type: "string", default: "400" },
    seed: { type: "string", default: "1" },
    family: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const SPLITS = ["tune", "held-out"] as const;
type Split = (typeof SPLITS)[number];
if (values.split !== "both" && !SPLITS.includes(values.split as Split)) {
  console.error(`--split must be tune, held-out or both, got "${values.split}"`);
  process.exit(2);
}
const splits: Split[] = values.split === "both" ? [...SPLITS] : [values.split as Split];
const limit = Number(values.limit);
const seed = Number(values.seed);
if (!Number.isInteger(limit) || limit <= 0 || !Number.isInteger(seed)) {
  console.error("--limit must be a positive integer and --seed an integer");
  process.exit(2);
}
const only = values.family?.split(",").map((f) => f.trim());
const unknownFamily = only?.find((f) => !(FAMILY_NAMES as readonly string[]).includes(f));
if (unknownFamily !== undefined) {
  console.error(`unknown family "${unknownFamily}"; known: ${FAMILY_NAMES.join(", ")}`);
  process.exit(2);
}

type Mode = SearchMode | "default" | "bm25";
const SERVICE_MODES: Array<SearchMode | "default"> = ["keyword", "vector", "hybrid", "default"];
const MODES: Mode[] = [...SERVICE_MODES, "bm25"];

/** Plain BM25: one field, no stemming, no field weights (the baseline the keyword mode must reach). */
function plainBm25Run(docs: readonly SearchDocument[], queries: readonly Query[]): Map<string, string[]> {
  const analyzer = createAnalyzer({ stemmer: (t) => t });
  const index = buildIndex(
    docs.map((d) => ({
      ...d,
      title: "",
      authors: [],
      abstract: [d.title, ...d.authors, d.abstract].join(" . "),
    })),
    analyzer,
    {
      k1: 1.2,
      fields: {
        title: { weight: 1, b: 0.75 },
        authors: { weight: 1, b: 0.75 },
        abstract: { weight: 1, b: 0.75 },
      },
    },
  );
  const run = new Map<string, string[]>();
  for (const q of queries) {
    const hits = keywordTopK(index, parseQuery(q.query, analyzer), RUN_DEPTH);
    run.set(
      q.id,
      hits.map((h) => index.data.ids[h.doc] as string),
    );
  }
  return run;
}

// --- running a corpus through the product --------------------------------------------------------------------

interface CorpusRun {
  documents: number;
  buildMs: number;
  /** Per mode, per query id, the ranked document ids. */
  runs: Map<Mode, Map<string, string[]>>;
  queryMs: Map<Mode, number>;
}

const logger = createLogger("warn");

async function runCorpus(docs: readonly SearchDocument[], queries: readonly Query[]): Promise<CorpusRun> {
  if (queries.length === 0)
    return { documents: docs.length, buildMs: 0, runs: new Map(), queryMs: new Map() };
  const dir = mkdtempSync(join(tmpdir(), "paperboy-families-"));
  const store = openSqliteStore(join(dir, "families.db"));
  try {
    await store.migrate();
    const ids = new BeirIdMap();
    const date = "2015-01-01T00:00:00.000Z" as IsoTimestamp;
    await store.bulkLoad(async () => {
      for (let i = 0; i < docs.length; i += 1_000) {
        const papers: PaperRecord[] = docs.slice(i, i + 1_000).map((d) => ({
          id: ids.add(d.id),
          sources: ["arxiv-snapshot"],
          versions: [{ version: 1, date }],
          title: d.title,
          abstract: d.abstract,
          authors: d.authors,
          categories: [],
        }));
        await store.ingest({ papers });
      }
    });
    const started = performance.now();
    await buildSearchEngine({ store, files: new EngineFiles(dir), embedderName: "corpus", logger });
    const buildMs = performance.now() - started;
    const service = createSearchService({ store, dataDir: dir, logger });
    const runs = new Map<Mode, Map<string, string[]>>();
    const queryMs = new Map<Mode, number>();
    for (const mode of SERVICE_MODES) {
      const run = new Map<string, string[]>();
      const t0 = performance.now();
      for (const q of queries) {
        const found = await service.search(
          mode === "default"
            ? { q: q.query, perPage: RUN_DEPTH }
            : { q: q.query, mode, perPage: RUN_DEPTH, spelling: "off" },
        );
        run.set(
          q.id,
          found.hits.flatMap((h) => {
            const doc = ids.docOf(h.paper.id);
            return doc === undefined ? [] : [doc];
          }),
        );
      }
      runs.set(mode, run);
      queryMs.set(mode, queries.length === 0 ? 0 : (performance.now() - t0) / queries.length);
    }
    const t0 = performance.now();
    runs.set("bm25", plainBm25Run(docs, queries));
    queryMs.set("bm25", queries.length === 0 ? 0 : (performance.now() - t0) / queries.length);
    return { documents: docs.length, buildMs, runs, queryMs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- main ---------------------------------------------------------------------------------------------------

const t0 = performance.now();
const { hfDocs, scifactDocs, families } = await loadFamilies(data, { seed, limit, only });

const forCorpus = (c: Family["corpus"]) => families.filter((f) => f.corpus === c).flatMap((f) => f.queries);
const hfRun = await runCorpus(hfDocs, forCorpus("hf"));
const scifactRun = await runCorpus(scifactDocs, forCorpus("scifact"));

// --- the table ----------------------------------------------------------------------------------------------

const SHORT: Record<Mode, string> = {
  keyword: "kw",
  vector: "vec",
  hybrid: "hyb",
  default: "def",
  bm25: "bm25",
};
const header = [
  "family",
  "split",
  "n",
  ...MODES.flatMap((m) => ["nDCG", "MRR", "R@100"].map((x) => `${SHORT[m]} ${x}`)),
];
const rows: string[][] = [];
const summaries: { family: string; split: Split; byMode: Map<Mode, MetricSummary> }[] = [];
for (const family of families) {
  const run = family.corpus === "hf" ? hfRun : scifactRun;
  const [tune, heldOut] = splitFolds(family.queries.map((q) => q.id));
  for (const split of splits) {
    const fold = split === "tune" ? tune : heldOut;
    const qrels = new Map(
      family.queries.filter((q) => fold.has(q.id)).map((q) => [q.id, new Map(q.relevant.map((d) => [d, 1]))]),
    );
    const byMode = new Map<Mode, MetricSummary>();
    for (const mode of MODES) byMode.set(mode, evaluateRun(run.runs.get(mode) ?? new Map(), qrels));
    summaries.push({ family: family.name, split, byMode });
    rows.push([
      family.name,
      split,
      String(qrels.size),
      ...MODES.flatMap((m) => {
        const s = byMode.get(m) as MetricSummary;
        return [s.ndcg10, s.mrr10, s.recall100].map((v) => v.toFixed(3));
      }),
    ]);
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));

const ms = (run: CorpusRun) =>
  MODES.map((m) => `${SHORT[m]} ${(run.queryMs.get(m) ?? 0).toFixed(1)}`).join(", ");
for (const [name, run, what] of [
  ["hf-daily", hfRun, "papers"],
  ["scifact", scifactRun, "abstracts"],
] as const) {
  if (run.runs.size === 0) continue;
  console.log(
    `${name}: ${run.documents} ${what}, engine built in ${(run.buildMs / 1000).toFixed(1)} s; ms/query ${ms(run)}`,
  );
}
console.log(
  `seed ${seed}, limit ${limit} per family; whole run ${((performance.now() - t0) / 1000).toFixed(0)} s; bm25 ms/query includes building its index`,
);

// Where the default mode loses most against the best single mode (nDCG@10).
let worst: { family: string; split: Split; gap: number; best: Mode } | null = null;
for (const s of summaries) {
  const def = (s.byMode.get("default") as MetricSummary).ndcg10;
  for (const mode of ["keyword", "vector", "hybrid"] as const) {
    const gap = (s.byMode.get(mode) as MetricSummary).ndcg10 - def;
    if (worst === null || gap > worst.gap) worst = { family: s.family, split: s.split, gap, best: mode };
  }
}
if (worst) {
  console.log(
    `default's largest nDCG@10 gap to a single mode: ${worst.family} (${worst.split}), ${worst.best} ahead by ${worst.gap.toFixed(3)}`,
  );
}
