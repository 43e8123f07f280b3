/**
 * Whole-engine latency at scale: builds the search engine (BM25F index, corpus embedder, document vectors and,
 * from 20,000 papers, the HNSW graph) over papers from a generated arXiv snapshot (real titles' words and real
 * abstract sentences reshuffled, see scripts/gen-snapshot.ts), then times hybrid, vector, keyword and
 * "similar" queries through the engine's public API, and a save and a memory-mapped load. Prints build time per
 * phase (stderr log), p50/p95/p99 per query kind, file sizes and the peak RSS.
 *
 *   node --import tsx scripts/gen-snapshot.ts --count 1000000
 *   node --import tsx bench/search/engine-latency.ts --snapshot /tmp/paperboy-snapshot-1000000-seed1.jsonl \
 *     [--docs 1000000] [--queries 300] [--train-pairs 50000] [--quantization i8] [--seed 1] [--save engine.pbs]
 *   node --import tsx bench/search/engine-latency.ts --snapshot ... --engine engine.pbs   # time a saved engine
 *
 * The build embeds into a scratch file and grows the HNSW graph as it goes, as the product's build does
 * (`EngineOptions.vectorFile`); `--in-memory` builds the float vectors in memory instead (the former way).
 * The loaded engine keeps its vectors where `loadEngine` puts them by default (on disk from 20,000 papers).
 * Prints the serving RSS after the loaded engine's queries.
 *
 * `--save` keeps the built engine (and its graph beside it); `--engine` times one saved earlier instead of
 * building, so a long build can run while the machine is busy and the timings when it is quiet.
 *
 * Query texts come from the corpus itself: short ones are 2-3 words of a title, long ones 10-20 words of an
 * abstract. `--train-pairs` caps the embedder's training pairs (quality is measured by beir.ts, not here; the
 * vectors have the default 512 dimensions either way).
 */
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createLogger } from "../../src/log.ts";
import { SearchEngine } from "../../src/search/engine.ts";
import { topKExhaustive, topKMaxScore } from "../../src/search/index/retrieve.ts";
import { termCounts, weightTerms } from "../../src/search/keyword.ts";
import { loadEngine, saveEngine } from "../../src/search/persist/engine-file.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { Random } from "../../src/search/vector/random.ts";
import { parseSnapshotRecord } from "../../src/sources/arxiv/snapshot.ts";
import { timeEach } from "./timing.ts";

const { values } = parseArgs({
  options: {
    snapshot: { type: "string", default: "/tmp/paperboy-snapshot-1000000-seed1.jsonl" },
    docs: { type: "string", default: "1000000" },
    queries: { type: "string", default: "300" },
    "train-pairs": { type: "string", default: "50000" },
    quantization: { type: "string", default: "i8" },
    seed: { type: "string", default: "1" },
    save: { type: "string" },
    engine: { type: "string" },
    "in-memory": { type: "boolean", default: false },
  },
});
const wanted = Number(values.docs);
const queryCount = Number(values.queries);
const quantization = values.quantization as "i8" | "f16" | "f32";
if (!["i8", "f16", "f32"].includes(quantization)) throw new Error("--quantization must be i8, f16 or f32");
const random = new Random(Number(values.seed));
const log = createLogger("info");
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const peak = () => `${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GiB`;

async function readDocs(path: string, limit: number): Promise<SearchDocument[]> {
  const docs: SearchDocument[] = [];
  const lines = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const r = parseSnapshotRecord(JSON.parse(line));
    docs.push({
      id: r.id,
      title: r.title ?? "",
      abstract: r.abstract ?? "",
      authors: r.authors ?? [],
    });
    if (docs.length >= limit) break;
  }
  return docs;
}

let started = performance.now();
const docs = await readDocs(values.snapshot, wanted);
console.log(
  `read ${docs.length} papers in ${((performance.now() - started) / 1000).toFixed(1)} s; peak RSS ${peak()}`,
);

started = performance.now();
const scratch = mkdtempSync(join(tmpdir(), "paperboy-bench-vectors-"));
let engine: SearchEngine;
if (values.engine) {
  engine = loadEngine(values.engine);
  if (engine.size !== docs.length)
    throw new Error(`${values.engine} holds ${engine.size} papers, read ${docs.length}`);
  console.log(`loaded ${values.engine} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} else {
  engine = await SearchEngine.build(docs, {
    train: { maxPairs: Number(values["train-pairs"]) },
    vectorIndex: { hnsw: { quantization } },
    ...(values["in-memory"] ? {} : { vectorFile: join(scratch, "vectors.f32") }),
    logger: log,
  });
  const buildSeconds = (performance.now() - started) / 1000;
  console.log(
    `built in ${buildSeconds.toFixed(0)} s (${engine.ann.kind} vector index, ${quantization}); peak RSS ${peak()}`,
  );
  if (values.save) {
    started = performance.now();
    saveEngine(engine, values.save);
    console.log(`saved to ${values.save} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
const words = (text: string) => text.split(/\s+/).filter((w) => /[a-z]/i.test(w));
function slice(text: string, min: number, max: number): string {
  const all = words(text);
  const n = Math.min(all.length, min + Math.floor(random.next() * (max - min + 1)));
  const from = Math.floor(random.next() * Math.max(1, all.length - n));
  return all.slice(from, from + n).join(" ");
}
const shortQueries = Array.from({ length: queryCount }, () => slice(pick(docs).title, 2, 3));
const longQueries = Array.from({ length: queryCount }, () => slice(pick(docs).abstract, 10, 20));
const similarIds = Array.from({ length: queryCount }, () => pick(docs).id);

const time = (label: string, items: readonly string[], run: (item: string) => unknown) =>
  timeEach(label, items, run, 34);

async function timeEngine(e: SearchEngine, tag: string): Promise<void> {
  for (const mode of ["hybrid", "vector", "keyword"] as const) {
    await time(`${tag}${mode} short (2-3 words)`, shortQueries, (q) => e.search(q, { mode, limit: 10 }));
    await time(`${tag}${mode} long (10-20 words)`, longQueries, (q) => e.search(q, { mode, limit: 10 }));
  }
  await time(`${tag}similar (top 10)`, similarIds, (id) => e.similar(id, 10));
}

await timeEngine(engine, "");

// Keyword strategies by query length, on the built index: where exhaustive scoring overtakes MaxScore.
for (const [min, max] of [
  [2, 3],
  [4, 7],
  [8, 12],
  [13, 20],
] as const) {
  const terms = Array.from({ length: queryCount }, () =>
    weightTerms(engine.index, termCounts(engine.parse(slice(pick(docs).abstract, min, max)).terms)),
  );
  for (const [name, fn] of [
    ["maxscore", topKMaxScore],
    ["exhaustive", topKExhaustive],
  ] as const) {
    const asText = terms.map((_, i) => String(i));
    await time(`keyword ${min}-${max} words ${name}`, asText, (i) =>
      fn(engine.index, terms[Number(i)] ?? [], 10),
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-engine-"));
try {
  const path = join(dir, "engine.pbs");
  started = performance.now();
  saveEngine(engine, path);
  const saveSeconds = (performance.now() - started) / 1000;
  const sizes = readdirSync(dir).map((name) => `${name} ${mib(statSync(join(dir, name)).size)}`);
  started = performance.now();
  const loaded = loadEngine(path);
  const loadSeconds = (performance.now() - started) / 1000;
  console.log(
    `saved in ${saveSeconds.toFixed(1)} s (${sizes.join(", ")}); loaded (graph mapped) in ${loadSeconds.toFixed(1)} s`,
  );
  await time("loaded: similar (top 10)", similarIds, (id) => loaded.similar(id, 10));
  await time("loaded: hybrid long (10-20 words)", longQueries, (q) =>
    loaded.search(q, { mode: "hybrid", limit: 10 }),
  );
  const memory = process.memoryUsage();
  console.log(
    `RSS after the loaded engine's queries ${(memory.rss / 2 ** 30).toFixed(2)} GiB (vectors ${loaded.vectors.constructor.name}; the built engine is still held)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`peak RSS ${peak()}`);
