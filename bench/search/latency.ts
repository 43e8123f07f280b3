/**
 * Keyword search latency on a synthetic corpus: builds the index over N generated papers (Zipf-distributed
 * vocabulary, ~10-word titles, ~150-word abstracts), then times short (2-3 word) and long (10-20 word) queries
 * with block-max MaxScore against exhaustive scoring, and prints p50/p95/p99 and the build time and memory.
 *
 *   node --import tsx bench/search/latency.ts [--docs 200000] [--queries 500] [--seed 1]
 *
 * The whole engine (hybrid, vector and "similar" queries with the HNSW index, save and load) is timed by
 * engine-latency.ts.
 */
import { parseArgs } from "node:util";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { buildIndex } from "../../src/search/index/build.ts";
import { topKExhaustive, topKMaxScore } from "../../src/search/index/retrieve.ts";
import { weightTerms } from "../../src/search/keyword.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { Random } from "../../src/search/vector/random.ts";
import { percentile } from "./timing.ts";

const { values } = parseArgs({
  options: {
    docs: { type: "string", default: "200000" },
    queries: { type: "string", default: "500" },
    seed: { type: "string", default: "1" },
  },
});
const docCount = Number(values.docs);
const queryCount = Number(values.queries);
const random = new Random(Number(values.seed));
const VOCABULARY = 200_000;

/** A pronounceable pseudo-word for a vocabulary rank (distinct per rank). */
function word(rank: number): string {
  const syllables = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "pa",
    "do",
    "fi",
    "gu",
    "he",
    "jo",
    "be",
  ];
  let out = "";
  let r = rank + 16;
  while (r > 0) {
    out += syllables[r % 16];
    r = Math.floor(r / 16);
  }
  return `${out}x`;
}
/** Zipf-like rank: small ranks are frequent. */
const rank = () => Math.floor(VOCABULARY * random.next() ** 4);
const text = (n: number) => Array.from({ length: n }, () => word(rank())).join(" ");

function* corpus(): Generator<SearchDocument> {
  for (let i = 0; i < docCount; i++) {
    yield {
      id: `p${i}`,
      title: text(6 + Math.floor(random.next() * 8)),
      abstract: text(100 + Math.floor(random.next() * 100)),
      authors: [],
    };
  }
}

const analyzer = createAnalyzer();
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const index = buildIndex(corpus(), analyzer);
const buildSeconds = (performance.now() - started) / 1000;
const d = index.data;
const indexBytes = [
  d.docBytes,
  d.posBytes,
  d.impacts,
  d.blockLast,
  d.blockMax,
  d.blockDocByte,
  d.blockPosByte,
]
  .map((a) => a.byteLength)
  .reduce((a, b) => a + b, 0);
console.log(
  `${docCount} docs, ${index.termCount} terms, ${d.impacts.length} postings; built in ${buildSeconds.toFixed(1)} s; ` +
    `arrays ${(indexBytes / 2 ** 20).toFixed(0)} MiB (positions ${(d.posBytes.byteLength / 2 ** 20).toFixed(0)} MiB); ` +
    `RSS +${((process.memoryUsage().rss - rssBefore) / 2 ** 20).toFixed(0)} MiB`,
);

for (const [label, min, max] of [
  ["short (2-3 words)", 2, 3],
  ["long (10-20 words)", 10, 20],
] as const) {
  const queries = Array.from({ length: queryCount }, () => {
    const n = min + Math.floor(random.next() * (max - min + 1));
    // Query words are drawn like document words, but not from the 50 most common (those behave as stop words).
    const words = Array.from({ length: n }, () =>
      word(50 + Math.floor((VOCABULARY - 50) * random.next() ** 4)),
    );
    return weightTerms(index, new Map(words.map((w) => [analyzer.analyze(w)[0]?.term ?? w, 1])));
  });
  for (const [name, fn] of [
    ["maxscore", topKMaxScore],
    ["exhaustive", topKExhaustive],
  ] as const) {
    const times: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      fn(index, q, 10);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(20)} ${name.padEnd(10)} p50 ${percentile(times, 50).toFixed(2)} ms  p95 ${percentile(times, 95).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms`,
    );
  }
}
