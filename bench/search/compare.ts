/**
 * Paperboy's search beside MiniSearch, Orama and FlexSearch, with the same documents and queries:
 *
 * (a) quality on SciFact (train judgments): nDCG@10 and Recall@100 of each library's top 100, and ours in
 *     keyword and hybrid mode (the hybrid one is `SearchEngine.build` + `search`, the product's path);
 * (b) speed on synthetic arXiv papers (scripts/gen-snapshot.ts, generated on first use): build time, index
 *     memory, and p50/p95 latency of short (2-4 words) and long (10-20 words) queries for the top 10. Each
 *     library and size runs in its own process (clean memory numbers, no shared garbage); a build that takes
 *     longer than --budget seconds is stopped and reported, and that library is not tried on larger sizes;
 *     each query length is timed for at most a minute (a slow library is timed on fewer queries).
 *
 *   node --import tsx bench/search/compare.ts [--part quality|speed|all] [--sizes 10000,100000]
 *     [--queries 200] [--budget 300] [--snapshot FILE] [--engines paperboy,minisearch,...] [--no-hybrid]
 */
import { spawn } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultSnapshotPath, repoRoot, sharedData } from "../../scripts/paths.ts";
import { SearchEngine } from "../../src/search/engine.ts";
import { readBeirCorpus, readBeirQrels, readBeirQueries } from "../../src/search/eval/beir.ts";
import { evaluateRun } from "../../src/search/eval/metrics.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { Random } from "../../src/search/vector/random.ts";
import { type Contender, contenders } from "./contenders.ts";
import { percentile } from "./timing.ts";

const { values } = parseArgs({
  options: {
    part: { type: "string", default: "all" },
    sizes: { type: "string", default: "10000,100000" },
    queries: { type: "string", default: "200" },
    budget: { type: "string", default: "300" },
    snapshot: { type: "string" },
    engines: { type: "string" },
    "no-hybrid": { type: "boolean", default: false },
    child: { type: "string" },
    docs: { type: "string" },
  },
});

const wanted = values.engines?.split(",").map((s) => s.trim());
const chosen = contenders().filter((c) => wanted === undefined || wanted.includes(c.name));
const queryCount = positive("--queries", values.queries);

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${flag} must be a positive whole number, got "${value}"`);
  return n;
}

// ---------------------------------------------------------------- (a) quality on SciFact

async function quality(): Promise<void> {
  const dir = sharedData("scifact");
  const docs = await readBeirCorpus(`${dir}/corpus.jsonl.gz`);
  const qrels = await readBeirQrels(`${dir}/qrels/train.tsv`);
  const queries = (await readBeirQueries(`${dir}/queries.jsonl`)).filter((q) => qrels.has(q.id));
  console.log(`\nSciFact: ${docs.length} abstracts, ${queries.length} judged queries (train), top 100\n`);
  console.log("| engine | nDCG@10 | Recall@100 | ms/query | build s |");
  console.log("| --- | --- | --- | --- | --- |");
  const row = async (name: string, build: () => Promise<void>, run: (q: string) => Promise<string[]>) => {
    let started = performance.now();
    await build();
    const buildS = (performance.now() - started) / 1000;
    const ranked = new Map<string, string[]>();
    started = performance.now();
    for (const q of queries) ranked.set(q.id, await run(q.text));
    const ms = (performance.now() - started) / queries.length;
    const m = evaluateRun(ranked, qrels);
    console.log(
      `| ${name} | ${m.ndcg10.toFixed(4)} | ${m.recall100.toFixed(4)} | ${ms.toFixed(2)} | ${buildS.toFixed(1)} |`,
    );
  };
  for (const c of chosen) {
    await row(
      c.name === "paperboy" ? "paperboy keyword" : c.name,
      () => c.build(docs),
      (q) => c.search(q, 100),
    );
  }
  if (!values["no-hybrid"] && (wanted === undefined || wanted.includes("paperboy"))) {
    let engine: SearchEngine | null = null;
    await row(
      "paperboy hybrid",
      async () => {
        engine = await SearchEngine.build(docs);
      },
      async (q) => ((await engine?.search(q, { limit: 100 }))?.hits ?? []).map((h) => h.id),
    );
  }
}

// ---------------------------------------------------------------- (b) speed on synthetic papers

async function readSnapshot(path: string, count: number): Promise<SearchDocument[]> {
  const docs: SearchDocument[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const r = JSON.parse(line) as { id: string; title: string; abstract: string };
    const clean = (s: string) => s.replace(/\s+/g, " ").trim();
    docs.push({
      id: r.id,
      title: clean(r.title),
      abstract: clean(r.abstract),
      authors: [],
    });
    if (docs.length >= count) break;
  }
  lines.close();
  if (docs.length < count) throw new Error(`${path} has only ${docs.length} records, ${count} wanted`);
  return docs;
}

/** Queries cut from the corpus itself: a run of title words (short) or of abstract words (long). */
function makeQueries(docs: readonly SearchDocument[], count: number): { short: string[]; long: string[] } {
  const random = new Random(7);
  const words = (s: string) => s.split(" ").filter((w) => /[\p{L}\p{N}]/u.test(w));
  const cut = (pool: string[], min: number, max: number) => {
    const n = min + Math.floor(random.next() * (max - min + 1));
    const start = Math.floor(random.next() * Math.max(1, pool.length - n));
    return pool.slice(start, start + n).join(" ");
  };
  const pick = () => docs[Math.floor(random.next() * docs.length)] as SearchDocument;
  return {
    short: Array.from({ length: count }, () => cut(words(pick().title), 2, 4)),
    long: Array.from({ length: count }, () => cut(words(pick().abstract), 10, 20)),
  };
}

interface SpeedResult {
  engine: string;
  docs: number;
  buildS: number;
  memoryMiB: number;
  peakRssMiB: number;
  short: Timing;
  long: Timing;
}

interface Timing {
  p50: number;
  p95: number;
  /** Queries timed (fewer than asked when they took longer than QUERY_SECONDS). */
  queries: number;
}

const QUERY_SECONDS = 60;

/** The child's job: one library, one size. Prints one JSON line. */
async function speedChild(contender: Contender, snapshot: string, count: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const docs = await readSnapshot(snapshot, count);
  const queries = makeQueries(docs, queryCount);
  gc();
  const before = process.memoryUsage();
  const started = performance.now();
  await contender.build(docs);
  const buildS = (performance.now() - started) / 1000;
  gc();
  const after = process.memoryUsage();
  const memoryMiB = (after.heapUsed + after.external - before.heapUsed - before.external) / 2 ** 20;
  process.stdout.write("built\n"); // the parent's build budget stops here
  // Each length gets at most QUERY_SECONDS: a slow library is timed on fewer queries rather than not at all.
  const time = async (list: string[]): Promise<Timing> => {
    for (const q of list.slice(0, 20)) await contender.search(q, 10); // warm up the JIT
    const times: number[] = [];
    const until = performance.now() + QUERY_SECONDS * 1000;
    for (const q of list) {
      const t = performance.now();
      await contender.search(q, 10);
      times.push(performance.now() - t);
      if (t > until) break;
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95), queries: times.length };
  };
  const result: SpeedResult = {
    engine: contender.name,
    docs: count,
    buildS,
    memoryMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    short: await time(queries.short),
    long: await time(queries.long),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs one child; resolves to its result, or to why it has none (over budget, crashed). */
function runChild(
  engine: string,
  snapshot: string,
  count: number,
  budgetS: number,
): Promise<SpeedResult | string> {
  const args = [
    "--expose-gc",
    "--max-old-space-size=8192",
    "--import",
    "tsx",
    fileURLToPath(import.meta.url),
  ];
  args.push(
    "--child",
    engine,
    "--docs",
    String(count),
    "--snapshot",
    snapshot,
    "--queries",
    String(queryCount),
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    const timer = setTimeout(() => {
      if (!out.startsWith("built")) child.kill("SIGKILL");
    }, budgetS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") return resolve(`build stopped after ${budgetS} s`);
      if (code !== 0) return resolve(`failed: ${err.trim().split("\n").slice(-1)[0] ?? `exit ${code}`}`);
      resolve(JSON.parse(out.trim().split("\n").slice(-1)[0] ?? "") as SpeedResult);
    });
  });
}

async function ensureSnapshot(count: number): Promise<string> {
  if (values.snapshot !== undefined) return values.snapshot;
  const path = defaultSnapshotPath(count, 1);
  if (existsSync(path)) return path;
  console.log(`generating ${count} synthetic papers into ${path} (scripts/gen-snapshot.ts)`);
  await new Promise<void>((resolve, reject) => {
    const script = `${repoRoot}/scripts/gen-snapshot.ts`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, "--count", String(count), "--out", path],
      {
        cwd: repoRoot,
        stdio: "inherit",
      },
    );
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`gen-snapshot exited ${code}`))));
  });
  return path;
}

async function speed(): Promise<void> {
  const sizes = values.sizes.split(",").map((s) => positive("--sizes", s.trim()));
  const budget = positive("--budget", values.budget);
  const snapshot = await ensureSnapshot(Math.max(...sizes));
  const stopped = new Set<string>();
  const results: SpeedResult[] = [];
  const notes: string[] = [];
  for (const size of sizes) {
    for (const c of chosen) {
      if (c.name === "minisearch+porter2" || c.name === "orama+stemmer") continue; // same index speed class
      if (stopped.has(c.name)) {
        notes.push(`${c.name} at ${size}: not tried (stopped at a smaller size)`);
        continue;
      }
      const r = await runChild(c.name, snapshot, size, budget);
      if (typeof r === "string") {
        stopped.add(c.name);
        notes.push(`${c.name} at ${size}: ${r}`);
        console.log(`${c.name} ${size}: ${r}`);
      } else {
        results.push(r);
        console.log(`${c.name} ${size}: built in ${r.buildS.toFixed(1)} s`);
      }
    }
  }
  console.log(`\nSynthetic arXiv papers, top 10, ${queryCount} queries of each length\n`);
  console.log(
    "| docs | engine | build s | index MiB | peak RSS MiB | short p50 / p95 ms | x ours | long p50 / p95 ms | x ours |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const f = (x: number) => (x < 1 ? x.toFixed(3) : x.toFixed(2));
  for (const r of results) {
    const ours = results.find((o) => o.engine === "paperboy" && o.docs === r.docs);
    const ratios = (k: "short" | "long") =>
      ours === undefined
        ? "-"
        : `${(r[k].p50 / ours[k].p50).toFixed(1)} / ${(r[k].p95 / ours[k].p95).toFixed(1)}`;
    const timing = (t: Timing) =>
      `${f(t.p50)} / ${f(t.p95)}${t.queries < queryCount ? ` (${t.queries} q)` : ""}`;
    console.log(
      `| ${r.docs} | ${r.engine} | ${r.buildS.toFixed(1)} | ${r.memoryMiB.toFixed(0)} | ${r.peakRssMiB.toFixed(0)} | ` +
        `${timing(r.short)} | ${ratios("short")} | ${timing(r.long)} | ${ratios("long")} |`,
    );
  }
  for (const n of notes) console.log(`- ${n}`);
}

if (values.child !== undefined) {
  const contender = chosen.find((c) => c.name === values.child);
  if (contender === undefined) throw new Error(`no engine named ${values.child}`);
  await speedChild(contender, values.snapshot ?? "", positive("--docs", values.docs ?? ""));
} else {
  if (values.part === "quality" || values.part === "all") await quality();
  if (values.part === "speed" || values.part === "all") await speed();
}
