/**
 * Search quality by query family: known-item keywords, title phrases, summary sentences, author names, typos
 * (from the Hugging Face daily papers) and SciFact claims, each scored through the product's search service in
 * every mode, on a tune half and a held-out half of the queries.
 *
 *   node --import tsx bench/search/families.ts [--split tune|held-out|both] [--limit 400] [--seed 1]
 *
 * Data: ../shared/data beside the repository (PAPERBOY_SHARED_DATA overrides), read in place. Each corpus is
 * imported into a temporary SQLite store and its engine built by the code `paperboy embed --rebuild` runs
 * (default settings), as `paperboy bench beir` does; keyword, vector and hybrid are asked for explicitly with
 * spelling help off (as the BEIR harness does), "default" is the search as a reader's request arrives (no mode,
 * spelling "correct"). Metrics: `src/search/eval/metrics.ts`; split: `splitFolds` (hash of the query id).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { IsoTimestamp, PaperRecord } from "../../src/core/index.ts";
import { createLogger } from "../../src/log.ts";
import type { SearchMode } from "../../src/search/engine.ts";
import {
  RUN_DEPTH,
  readBeirCorpus,
  readBeirQrels,
  readBeirQueries,
  splitFolds,
} from "../../src/search/eval/beir.ts";
import { evaluateRun, type MetricSummary } from "../../src/search/eval/metrics.ts";
import { BeirIdMap } from "../../src/search/eval/service-beir.ts";
import { buildSearchEngine, createSearchService, EngineFiles } from "../../src/search/service/index.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const data = process.env.PAPERBOY_SHARED_DATA ?? resolve(repoRoot, "..", "shared", "data");

const { values } = parseArgs({
  options: {
    split: { type: "string", default: "both" },
    limit: { type: "string", default: "400" },
    seed: { type: "string", default: "1" },
  },
});
const SPLITS = ["tune", "held-out"] as const;
type Split = (typeof SPLITS)[number];
if (values.split !== "both" && !SPLITS.includes(values.split as Split)) {
  console.error(`--split must be tune, held-out or both, got "${values.split}"`);
  process.exit(2);
}
const splits: Split[] = values.split === "both" ? [...SPLITS] : [values.split as Split];
const limit = Number(values.limit);
const seed = Number(values.seed);

type Mode = SearchMode | "default";
const MODES: Mode[] = ["keyword", "vector", "hybrid", "default"];

interface Query {
  id: string;
  query: string;
  relevant: string[];
}

interface Family {
  name: string;
  corpus: "hf" | "scifact";
  queries: Query[];
}

interface HfPaper {
  id: string;
  title: string;
  summary: string;
  authors: string[];
  aiSummary: string;
  aiKeywords: string[];
}

// --- deterministic randomness -------------------------------------------------------------------------------

function rng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A generator seeded by the run's seed and a key, so each query's choices do not depend on the others. */
const rngFor = (key: string) => rng(hash(`${seed}:${key}`));

function sample<T>(items: readonly T[], n: number, key: string): T[] {
  const out = [...items];
  const random = rngFor(key);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out.slice(0, n);
}

// --- Hugging Face daily papers ------------------------------------------------------------------------------

const str = (v: unknown) => (typeof v === "string" ? v.replace(/\s+/g, " ").trim() : "");

function loadHf(): HfPaper[] {
  const dir = resolve(data, "hf-daily", "raw");
  const papers = new Map<string, HfPaper>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const entries = JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown;
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const p = (entry as { paper?: Record<string, unknown> })?.paper;
      const id = str(p?.id);
      if (!p || id === "" || papers.has(id)) continue;
      const authors = Array.isArray(p.authors)
        ? p.authors.map((a) => str((a as { name?: unknown })?.name)).filter((n) => n !== "")
        : [];
      const keywords = Array.isArray(p.ai_keywords) ? p.ai_keywords.map(str).filter((k) => k !== "") : [];
      papers.set(id, {
        id,
        title: str(p.title),
        summary: str(p.summary),
        authors,
        aiSummary: str(p.ai_summary),
        aiKeywords: keywords,
      });
    }
  }
  return [...papers.values()].filter((p) => p.title !== "" || p.summary !== "");
}

function knownItem(papers: readonly HfPaper[]): Query[] {
  const out: Query[] = [];
  for (const p of papers) {
    const title = p.title.toLowerCase();
    const unseen = [...new Set(p.aiKeywords)].filter((k) => !title.includes(k.toLowerCase()));
    if (unseen.length < 2) continue;
    const [a, b] = sample(unseen, 2, `known-item:${p.id}`);
    out.push({ id: `known-item:${p.id}`, query: `${a} ${b}`, relevant: [p.id] });
  }
  return out;
}

function titlePhrase(papers: readonly HfPaper[]): Query[] {
  const out: Query[] = [];
  for (const p of papers) {
    const words = p.title.split(" ").filter((w) => w !== "");
    if (words.length < 3) continue;
    const random = rngFor(`title-phrase:${p.id}`);
    const length = 3 + Math.floor(random() * (Math.min(5, words.length) - 2));
    const start = Math.floor(random() * (words.length - length + 1));
    out.push({
      id: `title-phrase:${p.id}`,
      query: words.slice(start, start + length).join(" "),
      relevant: [p.id],
    });
  }
  return out;
}

function summarySentence(papers: readonly HfPaper[]): Query[] {
  const out: Query[] = [];
  for (const p of papers) {
    const first = p.aiSummary.split(/(?<=[.!?])\s+(?=[A-Z0-9])/)[0]?.trim() ?? "";
    if (first !== "") out.push({ id: `summary:${p.id}`, query: first, relevant: [p.id] });
  }
  return out;
}

function authorNames(papers: readonly HfPaper[]): Query[] {
  const byAuthor = new Map<string, Set<string>>();
  for (const p of papers) {
    for (const name of p.authors) {
      let ids = byAuthor.get(name);
      if (!ids) {
        ids = new Set();
        byAuthor.set(name, ids);
      }
      ids.add(p.id);
    }
  }
  const out: Query[] = [];
  for (const [name, ids] of byAuthor) {
    if (ids.size >= 2 && ids.size <= 20) out.push({ id: `author:${name}`, query: name, relevant: [...ids] });
  }
  return out;
}

/** One swap of two adjacent, different letters inside a word of 5+ letters (not its first letter). */
function typo(q: Query): Query | null {
  const random = rngFor(`typo:${q.id}`);
  const words = q.query.split(" ");
  const eligible = words.flatMap((w, i) => (/^\p{L}{5,}$/u.test(w) ? [i] : []));
  for (const w of sample(eligible, eligible.length, `typo-words:${q.id}`)) {
    const word = words[w] as string;
    const positions = [];
    for (let i = 1; i + 1 < word.length; i++) if (word[i] !== word[i + 1]) positions.push(i);
    if (positions.length === 0) continue;
    const i = positions[Math.floor(random() * positions.length)] as number;
    words[w] = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    return { id: q.id.replace(/^known-item:/, "typo:"), query: words.join(" "), relevant: q.relevant };
  }
  return null;
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
    for (const mode of MODES) {
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
    return { documents: docs.length, buildMs, runs, queryMs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- main ---------------------------------------------------------------------------------------------------

const t0 = performance.now();
const hf = loadHf();
const hfDocs: SearchDocument[] = hf.map((p) => ({
  id: p.id,
  title: p.title,
  abstract: p.summary,
  authors: p.authors,
  categories: [],
  publishedAt: null,
}));

const known = sample(knownItem(hf), limit, "known-item");
const families: Family[] = [
  { name: "known-item", corpus: "hf", queries: known },
  { name: "title-phrase", corpus: "hf", queries: sample(titlePhrase(hf), limit, "title-phrase") },
  { name: "summary", corpus: "hf", queries: sample(summarySentence(hf), limit, "summary") },
  { name: "author", corpus: "hf", queries: sample(authorNames(hf), limit, "author") },
  { name: "typo", corpus: "hf", queries: known.flatMap((q) => typo(q) ?? []) },
];

const scifactDir = resolve(data, "scifact");
const [scifactDocs, scifactQueries, scifactQrels] = await Promise.all([
  readBeirCorpus(resolve(scifactDir, "corpus.jsonl.gz")),
  readBeirQueries(resolve(scifactDir, "queries.jsonl")),
  readBeirQrels(resolve(scifactDir, "qrels", "train.tsv")),
]);
const claims: Query[] = scifactQueries.flatMap((q) => {
  const judged = scifactQrels.get(q.id);
  const relevant = judged ? [...judged].filter(([, g]) => g > 0).map(([d]) => d) : [];
  return relevant.length === 0 ? [] : [{ id: `scifact:${q.id}`, query: q.text, relevant }];
});
families.push({ name: "scifact", corpus: "scifact", queries: sample(claims, limit, "scifact") });

const forCorpus = (c: Family["corpus"]) => families.filter((f) => f.corpus === c).flatMap((f) => f.queries);
const hfRun = await runCorpus(hfDocs, forCorpus("hf"));
const scifactRun = await runCorpus(scifactDocs, forCorpus("scifact"));

// --- the table ----------------------------------------------------------------------------------------------

const SHORT: Record<Mode, string> = { keyword: "kw", vector: "vec", hybrid: "hyb", default: "def" };
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
console.log(
  `\nhf-daily: ${hfRun.documents} papers, engine built in ${(hfRun.buildMs / 1000).toFixed(1)} s; ms/query ${ms(hfRun)}`,
);
console.log(
  `scifact: ${scifactRun.documents} abstracts, engine built in ${(scifactRun.buildMs / 1000).toFixed(1)} s; ms/query ${ms(scifactRun)}`,
);
console.log(
  `seed ${seed}, limit ${limit} per family; whole run ${((performance.now() - t0) / 1000).toFixed(0)} s; no plain-BM25 rows (the index is BM25F only)`,
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
