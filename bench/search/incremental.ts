/**
 * From storing new papers to finding them: a store of generated papers with a full engine build, then
 * `--new` more papers are stored and the worker's tick (`updateEngine`: the delta segment, no full build) runs
 * while a server (`SearchService`) keeps answering; prints the time to store, to index the delta, for the
 * server to swap it in, and checks that every new paper is found by meaning (a vector search for its title
 * returns it in the top 10) and in "similar" (its own list comes from the engine, and it is in the list of its
 * nearest neighbour).
 *
 *   node --import tsx bench/search/incremental.ts [--count 50000] [--new 1000] [--seed 1] [--dir DIR]
 *     [--growth 0.05] [--small-model]
 *   node --import tsx bench/search/incremental.ts --db FILE --data-dir DIR --new-snapshot NEW.jsonl \
 *     --snapshot BASE.jsonl [--growth 0.05]
 *
 * The papers come from scripts/gen-snapshot.ts (count + new, in id order; the last `new` are the new ones).
 * With `--db`, the store and its engine exist already (a million papers take half an hour to store and build:
 * `million.ts` does that once); the new papers are read from `--new-snapshot` and the papers compared with them
 * are every n-th line of `--snapshot`. The new papers stay in that store afterwards.
 */
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { type ArxivId, type PaperRecord, toTimestamp } from "../../src/core/index.ts";
import { silentLogger } from "../../src/log.ts";
import { buildSearchEngine } from "../../src/search/service/build.ts";
import { EngineFiles } from "../../src/search/service/engine-files.ts";
import { createSearchService, updateEngine } from "../../src/search/service/index.ts";
import { parseSnapshotRecord } from "../../src/sources/arxiv/snapshot.ts";
import { openStore } from "../../src/store/open.ts";
import type { Store } from "../../src/store/store.ts";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "50000" },
    new: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    dir: { type: "string" },
    growth: { type: "string", default: "0.05" },
    "small-model": { type: "boolean", default: false },
    db: { type: "string" },
    "data-dir": { type: "string" },
    snapshot: { type: "string" },
    "new-snapshot": { type: "string" },
  },
});
const existing = values.db !== undefined;
if (existing && (!values["data-dir"] || !values.snapshot || !values["new-snapshot"]))
  throw new Error("--db needs --data-dir, --snapshot (the stored papers) and --new-snapshot (the new ones)");
const count = Number(values.count);
const fresh = Number(values.new);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), "paperboy-incremental-"));
mkdirSync(dir, { recursive: true });
const snapshot = join(dir, `snapshot-${count + fresh}-seed${values.seed}.jsonl`);
if (!existing && !existsSync(snapshot)) {
  execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/gen-snapshot.ts",
      "--count",
      String(count + fresh),
      "--seed",
      String(values.seed),
      "--out",
      snapshot,
    ],
    { stdio: "inherit" },
  );
}

const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

async function readRecords(file: string, keep: (line: number) => boolean): Promise<PaperRecord[]> {
  const out: PaperRecord[] = [];
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file, "utf8") })) {
    if (line.trim() === "") continue;
    if (keep(n++)) out.push(parseSnapshotRecord(JSON.parse(line)));
  }
  return out;
}

let base: PaperRecord[] = [];
let later: PaperRecord[] = [];
let store: Store;
let dataDir: string;
let started = performance.now();
if (existing) {
  store = await openStore({ kind: "sqlite", path: values.db as string });
  dataDir = values["data-dir"] as string;
  later = await readRecords(values["new-snapshot"] as string, () => true);
  const first = later[0];
  if (first === undefined) throw new Error("--new-snapshot holds no papers");
  if ((await store.getPaper(first.id as ArxivId)) !== null)
    throw new Error(`${first.id} is stored already: the new papers must be new (re-import the store first)`);
  // Papers of the full build to compare with: every n-th of the stored snapshot.
  const stored = (await store.stats()).papers;
  const step = Math.max(1, Math.floor(stored / later.length));
  base = await readRecords(values.snapshot as string, (n) => n % step === 0);
} else {
  for (const record of await readRecords(snapshot, () => true))
    (base.length < count ? base : later).push(record);
  const dbPath = join(dir, "paperboy.db");
  rmSync(dbPath, { force: true });
  rmSync(join(dir, "data"), { recursive: true, force: true });
  store = await openStore({ kind: "sqlite", path: dbPath });
  // Stored a day ago, as a library is before a day's papers arrive.
  const dayAgo = toTimestamp(new Date(Date.now() - 86_400_000));
  for (let i = 0; i < base.length; i += 2000)
    await store.bulkLoad(() => store.ingest({ papers: base.slice(i, i + 2000) }, dayAgo));
  console.log(`stored ${base.length} papers in ${seconds(started)} s`);
  dataDir = join(dir, "data");
}

const files = new EngineFiles(dataDir);
// --small-model trains a smaller corpus embedder (64 dimensions, one model, 4 epochs) to keep the full build
// short on a busy machine; the delta path (embedding with the trained model, indexing) is the same.
const build = () =>
  buildSearchEngine({
    store,
    files,
    embedderName: "corpus",
    logger: silentLogger,
    ...(values["small-model"]
      ? { engine: { train: { dimensions: 64, models: 1, epochs: 4, seed: 1 } } }
      : {}),
  });
if (!existing) {
  started = performance.now();
  const manifest = await build();
  console.log(`full build of ${manifest.papers} papers: ${seconds(started)} s (rss ${rss()} MiB)`);
}

const service = createSearchService({ store, dataDir, checkIntervalMs: 0, recountIntervalMs: 0 });
started = performance.now();
await service.search({ q: "neural networks", mode: "hybrid" });
console.log(`server loaded the engine in ${seconds(started)} s (rss ${rss()} MiB)`);

// The new papers arrive.
const t0 = performance.now();
for (let i = 0; i < later.length; i += 500) await store.ingest({ papers: later.slice(i, i + 500) });
const stored = seconds(t0);
const tick = await updateEngine({
  store,
  files,
  embedderName: "corpus",
  rebuildGrowth: Number(values.growth),
  logger: silentLogger,
  build,
});
const indexed = seconds(t0);
const deltaManifest = tick.manifest;
for (;;) {
  await service.search({ q: "neural networks", mode: "keyword", spelling: "off" });
  const serving = (await service.status()).serving;
  if (serving?.delta === (deltaManifest?.delta?.file ?? null) && serving?.build === deltaManifest?.build)
    break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const swapped = seconds(t0);

/** How many of `records` a vector search for their title finds (top 10), have a similar list, and are in it back. */
async function findability(records: readonly PaperRecord[]) {
  let byMeaning = 0;
  let ownSimilar = 0;
  let inNeighbours = 0;
  for (const record of records) {
    const hits = await service.search({
      q: record.title ?? "",
      mode: "vector",
      perPage: 10,
      spelling: "off",
    });
    if (hits.hits.some((h) => h.paper.id === record.id)) byMeaning++;
    const similar = await service.similar(record.id as ArxivId, 10);
    const nearest = similar[0];
    if (nearest === undefined) continue;
    ownSimilar++;
    const back = await service.similar(nearest.paper.id, 10);
    if (back.some((s) => s.paper.id === record.id)) inNeighbours++;
  }
  return { byMeaning, ownSimilar, inNeighbours };
}
const checkStarted = performance.now();
const { byMeaning, ownSimilar, inNeighbours } = await findability(later);
const allFound = seconds(t0);
const checkMs = Math.round((performance.now() - checkStarted) / later.length);
// The same check on as many papers of the full build, for comparison (every n-th).
const sampleStep = existing ? 1 : Math.max(1, Math.floor(base.length / later.length));
const sample = base.filter((_, i) => i % sampleStep === 0).slice(0, later.length);
const baseline = await findability(sample);

console.log(
  `${later.length} new papers: stored in ${stored} s; delta (${tick.action}: ${tick.delta?.papers ?? 0} papers, ` +
    `${tick.delta?.embedded ?? 0} embedded) indexed ${indexed} s after the first was stored ` +
    `(the tick itself ${Math.round((tick.delta?.ms ?? 0) / 100) / 10} s); served ${swapped} s after`,
);
console.log(
  `found by meaning (vector search for the title, top 10): ${byMeaning}/${later.length}; ` +
    `own similar list from the engine: ${ownSimilar}/${later.length}; ` +
    `in the similar list of its nearest paper: ${inNeighbours}/${later.length} ` +
    `(checked by ${allFound} s, ${checkMs} ms per paper; rss ${rss()} MiB)`,
);
console.log(
  `the same for ${sample.length} papers of the full build: by meaning ${baseline.byMeaning}, ` +
    `own similar list ${baseline.ownSimilar}, in their nearest paper's list ${baseline.inNeighbours}`,
);
await store.close();
if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
