/**
 * Search latency the way a reader meets it: `SearchService.search` and `.similar` (query parsing, the engine,
 * filters, hydration of the page's papers from the store, highlights) over a store holding a generated
 * snapshot, with the engine the product built for it (`paperboy embed --rebuild`).
 *
 *   node --import tsx scripts/gen-snapshot.ts --count 1000000
 *   PAPERBOY_DB=/tmp/p1m/p.db PAPERBOY_DATA_DIR=/tmp/p1m/data paperboy import /tmp/paperboy-snapshot-1000000-seed1.jsonl
 *   PAPERBOY_DB=/tmp/p1m/p.db PAPERBOY_DATA_DIR=/tmp/p1m/data paperboy embed --rebuild
 *   node --import tsx bench/search/service-latency.ts --db /tmp/p1m/p.db --data-dir /tmp/p1m/data \
 *     --snapshot /tmp/paperboy-snapshot-1000000-seed1.jsonl [--queries 300] [--seed 1] [--only filters] \
 *     [--no-facets] [--no-sort-keys] [--no-engine]
 *
 * Queries are cut from papers drawn at random from the snapshot: short ones 2-3 words of a title, long ones
 * 10-20 words of an abstract (as engine-latency.ts does); "similar" asks for the drawn papers' neighbours.
 * Filtered searches (hybrid, short words) take the drawn paper's first category (`cat:`), one of its
 * authors' last names or initials and last name (`author:`), or a year around its date (`since:`/`until:`);
 * sorted ones list the papers with all the words newest or most upvoted first. `--only filters` runs only
 * those; `--no-facets` evaluates filters in the store, as before the engine had facets. `--only sorts` runs
 * only the sorted rows; `--no-sort-keys` sorts them in the store, as before the service held the sort keys
 * (sorted-index.ts); `--no-engine` runs only the keyword sorted rows, which need no engine.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { parseArxivId } from "../../src/core/index.ts";
import { readContainer } from "../../src/search/persist/container.ts";
import { EngineFiles } from "../../src/search/service/engine-files.ts";
import { createSearchService } from "../../src/search/service/index.ts";
import { Random } from "../../src/search/vector/random.ts";
import { openStore } from "../../src/store/open.ts";
import { timeEach } from "./timing.ts";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    "data-dir": { type: "string" },
    snapshot: { type: "string", default: "/tmp/paperboy-snapshot-1000000-seed1.jsonl" },
    queries: { type: "string", default: "300" },
    seed: { type: "string", default: "1" },
    only: { type: "string" },
    "no-facets": { type: "boolean", default: false },
    "no-sort-keys": { type: "boolean", default: false },
    "no-engine": { type: "boolean", default: false },
  },
});
if (!values.db || !values["data-dir"]) throw new Error("--db and --data-dir are required");
const count = Number(values.queries);
const random = new Random(Number(values.seed));

const store = await openStore(
  values.db.startsWith("postgres")
    ? { kind: "postgres", url: values.db }
    : { kind: "sqlite", path: values.db },
);
const papers = (await store.stats()).papers;
const wanted = new Set(Array.from({ length: count }, () => Math.floor(random.next() * papers)));
interface Drawn {
  id: string;
  title: string;
  abstract: string;
  categories: string;
  authors: string;
  update_date: string;
}
const drawn: Drawn[] = [];
let line = 0;
for await (const text of createInterface({ input: createReadStream(values.snapshot, "utf8") })) {
  if (wanted.has(line++)) {
    drawn.push(JSON.parse(text) as Drawn);
  }
}

const words = (text: string) => text.split(/\s+/).filter((w) => /^[a-z]+$/i.test(w));
function slice(text: string, min: number, max: number): string {
  const all = words(text);
  const n = Math.min(all.length, min + Math.floor(random.next() * (max - min + 1)));
  const from = Math.floor(random.next() * Math.max(1, all.length - n));
  return all.slice(from, from + n).join(" ");
}
const short = drawn.map((p) => slice(p.title, 2, 3));
const long = drawn.map((p) => slice(p.abstract, 10, 20));

const service = createSearchService({
  store,
  dataDir: values["data-dir"],
  facets: !values["no-facets"],
  sortKeys: values["no-sort-keys"] ? false : "wait",
});
const time = timeEach<string>;
const noEngine = values["no-engine"];
const started = performance.now();
const status = await service.status();
if (!noEngine) {
  if (status.engine === null)
    throw new Error("no search engine for this store: run paperboy embed --rebuild");
  await service.search({ q: "warm up", mode: "hybrid" });
  console.log(
    `${papers} papers; engine of ${status.engine.papers} papers loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
const keysStarted = performance.now();
await service.search({ q: "warm up", sort: "date", mode: "keyword" });
console.log(
  values["no-sort-keys"]
    ? "sorts in the store (--no-sort-keys)"
    : `sort keys of ${(await service.status()).sortKeys?.papers} papers loaded in ${((performance.now() - keysStarted) / 1000).toFixed(1)} s`,
);

/** Sorted searches: the papers with all the words, newest or most upvoted first. */
async function sortedRows(): Promise<void> {
  await time("keyword, newest first (short)", short, (q) =>
    service.search({ q, sort: "date", mode: "keyword" }),
  );
  await time("keyword, most upvoted (short)", short, (q) =>
    service.search({ q, sort: "upvotes", mode: "keyword" }),
  );
  await time("keyword, newest first, page 3 (short)", short, (q) =>
    service.search({ q, sort: "date", mode: "keyword", page: 3 }),
  );
  if (noEngine) return;
  await time("hybrid, newest first (short)", short, (q) =>
    service.search({ q, sort: "date", mode: "hybrid" }),
  );
  await time("hybrid, most upvoted (short)", short, (q) =>
    service.search({ q, sort: "upvotes", mode: "hybrid" }),
  );
}
if (noEngine || values.only === "sorts") {
  await sortedRows();
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GiB`);
  await store.close();
  process.exit(0);
}

if (values.only !== "filters") {
  for (const mode of ["hybrid", "keyword", "vector"] as const) {
    await time(`${mode} short (2-3 words)`, short, (q) => service.search({ q, mode }));
    await time(`${mode} long (10-20 words)`, long, (q) => service.search({ q, mode }));
  }
  await time(
    "similar (top 10)",
    drawn.map((p) => p.id),
    (id) => service.similar(parseArxivId(id).id, 10),
  );
}

/** A drawn paper's author as a reader types one: the last name, or initials and last name. */
function authorFilter(p: Drawn, i: number): string {
  const names = p.authors
    .split(/,| and /)
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const name = (names[i % names.length] ?? "").split(" ");
  const last = name[name.length - 1] ?? "";
  return i % 2 === 0
    ? last
    : `${name
        .slice(0, -1)
        .map((w) => `${w[0]}.`)
        .join("")}${last}`;
}
const filtered = drawn.map((p, i) => {
  const q = short[i] as string;
  const year = Number(p.update_date.slice(0, 4));
  return {
    cat: `${q} cat:${p.categories.split(" ")[0]}`,
    author: `${q} author:"${authorFilter(p, i)}"`,
    dates: `${q} since:${year - 1}-01-01 until:${year}-12-31`,
    catDates: `${q} cat:${p.categories.split(" ")[0]} since:${year - 1}-01-01`,
  };
});
await time("hybrid short, filtered cat:cs.LG", short, (q) => service.search({ q: `${q} cat:cs.LG` }));
for (const kind of ["cat", "author", "dates", "catDates"] as const) {
  const queries = filtered.map((f) => f[kind]);
  await time(
    `hybrid short, ${kind === "catDates" ? "cat: + since:" : kind === "dates" ? "since:/until:" : `${kind}:`}`,
    queries,
    (q) => service.search({ q }),
  );
}
await time(
  "keyword short, cat:",
  filtered.map((f) => f.cat),
  (q) => service.search({ q, mode: "keyword" }),
);
await sortedRows();
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const memory = process.memoryUsage();
console.log(
  `serving RSS after the queries ${gib(memory.rss)} (JS heap ${gib(memory.heapUsed)}, array buffers ${gib(memory.arrayBuffers)}); peak RSS ${gib(process.resourceUsage().maxRSS * 1024)}`,
);

// What the engine file holds, by part (sizes on disk; the vectors are read from the file only when the
// engine keeps them on disk, see LoadEngineOptions.vectors).
const files = new EngineFiles(values["data-dir"]);
const read = files.readManifest();
if (read.kind === "ok") {
  const path = files.enginePath(read.manifest);
  const { located } = readContainer(path, undefined, new Set());
  const parts = new Map<string, number>();
  for (const [name, where] of Object.entries(located)) {
    const bytes = where.length * (where.kind === "Uint8Array" ? 1 : where.kind === "Uint16Array" ? 2 : 4);
    const part =
      name === "vectors"
        ? "document vectors (float32)"
        : name.startsWith("embedder")
          ? "embedder model"
          : name.endsWith("posBytes")
            ? name.startsWith("exact.")
              ? "exact-form index: positions"
              : "keyword index: positions"
            : name.startsWith("exact.")
              ? "exact-form index: postings and metadata"
              : "keyword index: postings and metadata";
    parts.set(part, (parts.get(part) ?? 0) + bytes);
  }
  for (const [part, bytes] of parts) console.log(`  ${part}: ${(bytes / 2 ** 20).toFixed(0)} MiB`);
  for (const [name, bytes] of Object.entries(read.manifest.files))
    console.log(`  file ${name}: ${(bytes / 2 ** 20).toFixed(0)} MiB`);
}
await store.close();
