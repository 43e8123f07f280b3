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
 *
 * The papers come from scripts/gen-snapshot.ts (count + new, in id order; the last `new` are the new ones).
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

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "50000" },
    new: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    dir: { type: "string" },
    growth: { type: "string", default: "0.05" },
    "small-model": { type: "boolean", default: false },
  },
});
const count = Number(values.count);
const fresh = Number(values.new);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), "paperboy-incremental-"));
mkdirSync(dir, { recursive: true });
const snapshot = join(dir, `snapshot-${count + fresh}-seed${values.seed}.jsonl`);
if (!existsSync(snapshot)) {
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

const base: PaperRecord[] = [];
const later: PaperRecord[] = [];
for await (const line of createInterface({ input: createReadStream(snapshot, "utf8") })) {
  if (line.trim() === "") continue;
  const record = parseSnapshotRecord(JSON.parse(line));
  (base.length < count ? base : later).push(record);
}

const dbPath = join(dir, "paperboy.db");
rmSync(dbPath, { force: true });
rmSync(join(dir, "data"), { recursive: true, force: true });
const store = await openStore({ kind: "sqlite", path: dbPath });
let started = performance.now();
// Stored a day ago, as a library is before a day's papers arrive.
const dayAgo = toTimestamp(new Date(Date.now() - 86_400_000));
for (let i = 0; i < base.length; i += 2000)
  await store.bulkLoad(() => store.ingest({ papers: base.slice(i, i + 2000) }, dayAgo));
console.log(`stored ${base.length} papers in ${seconds(started)} s`);

const dataDir = join(dir, "data");
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
started = performance.now();
const manifest = await build();
console.log(`full build of ${manifest.papers} papers: ${seconds(started)} s (rss ${rss()} MiB)`);

const service = createSearchService({ store, dataDir, checkIntervalMs: 0, recountIntervalMs: 0 });
await service.search({ q: "neural networks", mode: "hybrid" });

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
const step = Math.max(1, Math.floor(base.length / later.length));
const sample = base.filter((_, i) => i % step === 0).slice(0, later.length);
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
