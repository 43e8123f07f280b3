/**
 * Tuning run for the ranking parameters on the query families: builds each corpus's engine once (cached in
 * --cache, so later runs skip the embedder's training), then for every configuration rebuilds only the keyword
 * index and scores the keyword and hybrid modes through `SearchEngine.search` on ONE half of each family
 * (default: the tuning half). The product-path numbers (every mode, both halves) come from `families.ts`.
 *
 *   node --import tsx bench/search/families-tune.ts --configs '[{"name":"base"},{"name":"k1 0.9","bm25":{"k1":0.9}}]'
 *     [--limit 200] [--seed 1] [--split tune] [--family a,b] [--cache /tmp/paperboy-families-cache]
 *
 * A configuration is `{ name, bm25?: partial Bm25Params (fields merged per field), fusion?: partial FusionParams }`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLogger } from "../../src/log.ts";
import { SearchEngine, type SearchMode } from "../../src/search/engine.ts";
import { splitFolds } from "../../src/search/eval/beir.ts";
import { evaluateRun } from "../../src/search/eval/metrics.ts";
import { buildKeywordIndex } from "../../src/search/index/build.ts";
import { loadEngine, saveEngine } from "../../src/search/persist/engine-file.ts";
import { type Bm25Params, DEFAULT_BM25, type Field, type FieldParams } from "../../src/search/rank/bm25.ts";
import { DEFAULT_FUSION, type FusionParams } from "../../src/search/rank/fusion.ts";
import { DEFAULT_PROXIMITY, type ProximityParams } from "../../src/search/rank/proximity.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { type Family, loadFamilies } from "./families-queries.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const data = process.env.PAPERBOY_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data");

const { values } = parseArgs({
  options: {
    configs: { type: "string", default: '[{"name":"defaults"}]' },
    limit: { type: "string", default: "200" },
    seed: { type: "string", default: "1" },
    split: { type: "string", default: "tune" },
    family: { type: "string" },
    cache: { type: "string", default: join(tmpdir(), "paperboy-families-cache") },
  },
});
if (values.split !== "tune" && values.split !== "held-out") {
  console.error(`--split must be tune or held-out, got "${values.split}"`);
  process.exit(2);
}
interface Config {
  name: string;
  bm25?: Partial<Omit<Bm25Params, "fields">> & { fields?: Partial<Record<Field, Partial<FieldParams>>> };
  fusion?: Partial<FusionParams>;
  /** Overrides of DEFAULT_PROXIMITY's query-time settings for this configuration (set and restored here). */
  proximity?: Partial<ProximityParams>;
}
const configs = JSON.parse(values.configs) as Config[];
const only = values.family?.split(",").map((f) => f.trim());
const { hfDocs, scifactDocs, families } = await loadFamilies(data, {
  seed: Number(values.seed),
  limit: Number(values.limit),
  only,
});
const foldIndex = values.split === "tune" ? 0 : 1;
mkdirSync(values.cache, { recursive: true });
const logger = createLogger("warn");

async function baseEngine(name: string, docs: readonly SearchDocument[]): Promise<SearchEngine> {
  const path = join(values.cache, `${name}.pbs`);
  if (existsSync(path)) {
    try {
      return loadEngine(path);
    } catch {
      // An engine file of another version: build again.
    }
  }
  const engine = await SearchEngine.build(docs, { logger });
  saveEngine(engine, path);
  return engine;
}

function bm25Of(config: Config): Bm25Params {
  const fields = { ...DEFAULT_BM25.fields };
  for (const [field, p] of Object.entries(config.bm25?.fields ?? {}))
    fields[field as Field] = { ...fields[field as Field], ...p };
  return { ...DEFAULT_BM25, ...config.bm25, fields };
}

const MODES: SearchMode[] = ["keyword", "hybrid"];
const results = new Map<string, string[]>();
for (const [corpus, docs] of [
  ["hf", hfDocs],
  ["scifact", scifactDocs],
] as const) {
  const mine = families.filter((f: Family) => f.corpus === corpus);
  if (mine.length === 0) continue;
  const base = await baseEngine(corpus, docs);
  const proximity = { ...DEFAULT_PROXIMITY };
  for (const config of configs) {
    Object.assign(DEFAULT_PROXIMITY, proximity, config.proximity);
    const engine = new SearchEngine({
      index: buildKeywordIndex(docs, base.analyzer, bm25Of(config)),
      vectors: base.vectors,
      embedder: base.embedder,
      fusion: { ...DEFAULT_FUSION, ...config.fusion },
      analyzer: base.analyzer,
    });
    for (const family of mine) {
      const fold = splitFolds(family.queries.map((q) => q.id))[foldIndex] as Set<string>;
      const queries = family.queries.filter((q) => fold.has(q.id));
      const qrels = new Map(queries.map((q) => [q.id, new Map(q.relevant.map((d) => [d, 1]))]));
      const cells: string[] = [];
      for (const mode of MODES) {
        const run = new Map<string, string[]>();
        for (const q of queries) {
          const found = await engine.search(q.query, { mode, limit: 100 });
          run.set(
            q.id,
            found.hits.map((h) => h.id),
          );
        }
        const m = evaluateRun(run, qrels);
        cells.push(`${m.ndcg10.toFixed(3)}/${m.mrr10.toFixed(3)}`);
      }
      const row = results.get(config.name) ?? [];
      row.push(`${family.name} ${cells.join(" ")}`);
      results.set(config.name, row);
    }
    console.log(`${config.name.padEnd(28)} ${(results.get(config.name) ?? []).join(" | ")}`);
  }
}
console.log(`\n${values.split} half; cells: keyword nDCG@10/MRR@10, hybrid nDCG@10/MRR@10`);
for (const [name, row] of results) console.log(`${name.padEnd(28)} ${row.join(" | ")}`);
