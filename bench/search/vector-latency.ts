/**
 * The vector side alone at scale: N unit vectors in clusters (like embeddings of papers on many topics:
 * each is its topic's centre plus as much noise again), an HNSW graph built over them (2 cores), and the
 * queries the engine makes: "similar" (a paper's own vector, itself filtered out, top 10) and hybrid's vector
 * side (top 100), both as the engine runs them (graph candidates x2 rescored with the exact vectors). Prints the
 * build time, graph file size, save and memory-mapped open times, p50/p95/p99 per query kind, recall@10
 * against exact search, and the peak RSS.
 *
 *   node --import tsx bench/search/vector-latency.ts [--vectors 1000000] [--dimensions 512] [--queries 300]
 *     [--quantization i8] [--topics 5000] [--seed 1]
 *
 * No embedder is trained, so this runs at a million vectors in minutes; engine-latency.ts times the whole
 * engine (keyword index, embedder, fusion) on generated papers.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { normalize } from "../../src/search/vector/embedder.ts";
import { FlatVectorIndex } from "../../src/search/vector/flat-index.ts";
import { HnswVectorIndex } from "../../src/search/vector/hnsw-index.ts";
import { nearest } from "../../src/search/vector/nearest.ts";
import { Random } from "../../src/search/vector/random.ts";
import type { VectorIndex } from "../../src/search/vector/vector-index.ts";
import { printPercentiles } from "./timing.ts";

const { values } = parseArgs({
  options: {
    vectors: { type: "string", default: "1000000" },
    dimensions: { type: "string", default: "512" },
    queries: { type: "string", default: "300" },
    quantization: { type: "string", default: "i8" },
    topics: { type: "string", default: "5000" },
    seed: { type: "string", default: "1" },
  },
});
const n = Number(values.vectors);
const d = Number(values.dimensions);
const queryCount = Number(values.queries);
const topics = Number(values.topics);
const quantization = values.quantization as "i8" | "f16" | "f32";
if (!["i8", "f16", "f32"].includes(quantization)) throw new Error("--quantization must be i8, f16 or f32");
const random = new Random(Number(values.seed));
const peak = () => `${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GiB`;
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

function clustered(count: number, centres: Float32Array): Float32Array {
  const out = new Float32Array(count * d);
  const noise = 1 / Math.sqrt(d);
  for (let i = 0; i < count; i++) {
    const topic = Math.floor(random.next() * topics);
    const row = out.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++) row[j] = (centres[topic * d + j] as number) + noise * random.gaussian();
    normalize(row);
  }
  return out;
}

let started = performance.now();
const centres = new Float32Array(topics * d);
for (let t = 0; t < topics; t++) {
  const row = centres.subarray(t * d, (t + 1) * d);
  for (let j = 0; j < d; j++) row[j] = random.gaussian();
  normalize(row);
}
const rows = clustered(n, centres);
const exact = new FlatVectorIndex(d, rows);
console.log(
  `${n} vectors of ${d} floats (${topics} topics) made in ${seconds(started)} s; peak RSS ${peak()}`,
);

started = performance.now();
const graph = await HnswVectorIndex.build(d, rows, { quantization });
console.log(`HNSW (${quantization}) built in ${seconds(started)} s; peak RSS ${peak()}`);

function time(label: string, count: number, run: (i: number) => unknown): void {
  for (let i = 0; i < 10; i++) run(i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    run(i);
    times.push(performance.now() - t);
  }
  printPercentiles(label, times, 40);
}

const paperIds = Array.from({ length: queryCount }, () => Math.floor(random.next() * n));
const queries = clustered(queryCount, centres);
const query = (i: number) => queries.subarray(i * d, (i + 1) * d);
function timeIndex(ann: VectorIndex, tag: string): void {
  time(`${tag}similar (top 10, itself excluded)`, queryCount, (i) => {
    const doc = paperIds[i] as number;
    return nearest(ann, exact, exact.row(doc), 10, (x) => x !== doc);
  });
  time(`${tag}vector top 10`, queryCount, (i) => nearest(ann, exact, query(i), 10));
  time(`${tag}vector top 100 (hybrid depth)`, queryCount, (i) => nearest(ann, exact, query(i), 100));
}
timeIndex(graph, "");

const recallQueries = Math.min(30, queryCount);
let found = 0;
started = performance.now();
for (let i = 0; i < recallQueries; i++) {
  const truth = new Set(exact.search(query(i), 10).map((h) => h.doc));
  for (const h of nearest(graph, exact, query(i), 10)) if (truth.has(h.doc)) found++;
}
const exactMs = (performance.now() - started) / recallQueries;
console.log(
  `recall@10 against exact search: ${(found / (recallQueries * 10)).toFixed(3)} (${recallQueries} queries; ` +
    `exact search takes ${exactMs.toFixed(0)} ms a query)`,
);

const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-vectors-"));
try {
  const path = join(dir, "vectors.hnsw");
  started = performance.now();
  graph.save(path);
  console.log(`saved in ${seconds(started)} s: ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`);
  started = performance.now();
  const mapped = HnswVectorIndex.open(path, d, { quantization });
  console.log(`opened memory-mapped in ${seconds(started)} s`);
  timeIndex(mapped, "mapped: ");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`peak RSS ${peak()}`);
