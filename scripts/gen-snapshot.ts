/**
 * Generates a large arXiv metadata snapshot (JSON lines, the layout of arXiv's bulk file) from the 1,130 real
 * records in ../shared/data/arxiv-abs, for benchmarks:
 *
 *   node --import tsx scripts/gen-snapshot.ts [--count 1000000] [--out FILE[.gz]] [--seed 1]
 *
 * - ids are unique new-style ids `YYMM.NNNNN`, years 2015-2026, spread evenly over the 144 months and written
 *   in id order, as arXiv's file is;
 * - titles are real title words reshuffled, abstracts real abstract sentences reshuffled, each as long as a
 *   randomly drawn real one;
 * - authors (with submitter), categories, the other fields and the number of versions come from randomly drawn
 *   real records; version dates fall in the id's month and after.
 *
 * The same count and seed always give the same file. Lines are produced as the file is written, with
 * backpressure, so memory stays flat whatever the count. `.gz` in the name compresses.
 */
import { createWriteStream, readFileSync, renameSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { defaultSnapshotPath, sharedData } from "./paths.ts";

interface SnapshotVersion {
  version: string;
  created: string;
}

/** One line of the snapshot, keys in arXiv's order. */
interface SnapshotRecord {
  id: string;
  submitter: string | null;
  authors: string;
  title: string;
  comments: string | null;
  "journal-ref": string | null;
  doi: string | null;
  "report-no": string | null;
  categories: string;
  license: string | null;
  abstract: string;
  versions: SnapshotVersion[];
  update_date: string;
  authors_parsed: string[][];
}

/** What generated records are drawn from. */
interface Pools {
  records: SnapshotRecord[];
  titleWords: string[];
  sentences: string[];
  /** Lengths of the real titles (in words) and abstracts (in sentences), drawn to size generated ones. */
  titleLengths: number[];
  abstractLengths: number[];
}

const FIRST_YEAR = 2015;
const YEARS = 12;
const MONTHS = YEARS * 12;
/** New-style ids from 1501 on have five digits after the dot. */
const MAX_PER_MONTH = 99_999;
const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Lines are joined into chunks of about this many characters before they are written. */
const CHUNK_CHARS = 1 << 20;

type Random = () => number;

/** mulberry32: a small, fast, seedable generator; plenty for shuffling text. */
function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function isSnapshotRecord(value: unknown): value is SnapshotRecord {
  const r = value as Partial<SnapshotRecord> | null;
  return (
    typeof r?.id === "string" &&
    typeof r.title === "string" &&
    typeof r.abstract === "string" &&
    typeof r.categories === "string" &&
    Array.isArray(r.versions) &&
    Array.isArray(r.authors_parsed)
  );
}

function splitSentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z$\\(])/)
    .filter((s) => s.length > 0);
}

function loadPools(path: string): Pools {
  const records = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown)
    .filter(isSnapshotRecord);
  if (records.length === 0) throw new Error(`no snapshot records in ${path}`);
  const titles = records.map((r) => r.title.split(/\s+/).filter((w) => w.length > 0));
  const abstracts = records.map((r) => splitSentences(r.abstract));
  return {
    records,
    titleWords: titles.flat(),
    sentences: abstracts.flat(),
    titleLengths: titles.map((t) => t.length),
    abstractLengths: abstracts.map((a) => a.length),
  };
}

function draw(random: Random, pool: readonly string[], count: number, separator: string): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(pick(random, pool));
  return parts.join(separator);
}

/** arXiv's version date format: `Tue, 1 Nov 1994 18:57:48 GMT`. */
function arxivDate(ms: number): string {
  const d = new Date(ms);
  const time = d.toISOString().slice(11, 19);
  return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} GMT`;
}

/** `count` versions, the first in the given month, each later one up to three months after the one before. */
function versionsFrom(random: Random, year: number, month: number, count: number): number[] {
  let at = Date.UTC(year, month - 1, 1) + Math.floor(random() * 28 * DAY_MS);
  const dates = [at];
  for (let v = 2; v <= count; v++) {
    at += DAY_MS + Math.floor(random() * 90 * DAY_MS);
    dates.push(at);
  }
  return dates;
}

/** How many ids each month gets so that `count` records spread over all the months. */
function idsPerMonth(count: number): number {
  return Math.ceil(count / MONTHS);
}

/** The `index`-th id, in ascending order: months fill one after another, `perMonth` ids each. */
function idAt(index: number, perMonth: number): { id: string; year: number; month: number } {
  const monthIndex = Math.floor(index / perMonth);
  const year = FIRST_YEAR + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const yymm = `${String(year % 100).padStart(2, "0")}${String(month).padStart(2, "0")}`;
  return { id: `${yymm}.${String((index % perMonth) + 1).padStart(5, "0")}`, year, month };
}

function makeRecord(random: Random, pools: Pools, index: number, perMonth: number): SnapshotRecord {
  const { id, year, month } = idAt(index, perMonth);
  const people = pick(random, pools.records);
  const extras = pick(random, pools.records);
  const dates = versionsFrom(random, year, month, pick(random, pools.records).versions.length);
  const last = dates[dates.length - 1] as number;
  return {
    id,
    submitter: people.submitter,
    authors: people.authors,
    title: draw(random, pools.titleWords, pick(random, pools.titleLengths), " "),
    comments: extras.comments,
    "journal-ref": extras["journal-ref"],
    doi: extras.doi,
    "report-no": extras["report-no"],
    categories: pick(random, pools.records).categories,
    license: extras.license,
    abstract: draw(random, pools.sentences, pick(random, pools.abstractLengths), " "),
    versions: dates.map((ms, i) => ({ version: `v${i + 1}`, created: arxivDate(ms) })),
    update_date: new Date(last).toISOString().slice(0, 10),
    authors_parsed: people.authors_parsed,
  };
}

/** The file's text, a chunk at a time; pulled by the writer only as fast as it drains. */
function* snapshotChunks(pools: Pools, count: number, seed: number): Generator<string> {
  const random = seededRandom(seed);
  const perMonth = idsPerMonth(count);
  let chunk = "";
  for (let i = 0; i < count; i++) {
    chunk += `${JSON.stringify(makeRecord(random, pools, i, perMonth))}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

interface GenerateOptions {
  count: number;
  out: string;
  seed: number;
  /** The real records to draw from; the shared arXiv sample by default. */
  from?: string;
}

/** Writes the snapshot to `out` (through `out.partial`, so an interrupted run never leaves a short file). */
async function generateSnapshot(options: GenerateOptions): Promise<void> {
  const pools = loadPools(options.from ?? sharedData("arxiv-abs", "arxiv-metadata-snapshot.jsonl"));
  const partial = `${options.out}.partial`;
  const source = Readable.from(snapshotChunks(pools, options.count, options.seed));
  if (options.out.endsWith(".gz")) await pipeline(source, createGzip(), createWriteStream(partial));
  else await pipeline(source, createWriteStream(partial));
  renameSync(partial, options.out);
}

function positiveInt(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new Error(
      `${flag} must be a whole number from 1 to ${max.toLocaleString("en-US")}, got "${value}"`,
    );
  }
  return n;
}

function parseOptions(argv: string[]): GenerateOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: "string", default: "1000000" },
      out: { type: "string" },
      seed: { type: "string", default: "1" },
    },
    strict: true,
  });
  const count = positiveInt("--count", values.count, MONTHS * MAX_PER_MONTH);
  const seed = positiveInt("--seed", values.seed, 0xffff_ffff);
  return { count, seed, out: values.out ?? defaultSnapshotPath(count, seed) };
}

async function main(): Promise<void> {
  let options: GenerateOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`gen-snapshot: ${error instanceof Error ? error.message : String(error)}`);
    console.error("usage: gen-snapshot.ts [--count N] [--out FILE[.gz]] [--seed N]");
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  await generateSnapshot(options);
  const perMonth = idsPerMonth(options.count);
  const first = idAt(0, perMonth).id;
  const last = idAt(options.count - 1, perMonth).id;
  const seconds = (performance.now() - started) / 1000;
  const megabytes = statSync(options.out).size / 1024 / 1024;
  console.log(
    `wrote ${options.count.toLocaleString("en-US")} records (ids ${first} to ${last}, seed ${options.seed}) ` +
      `to ${options.out}: ${megabytes.toFixed(1)} MB in ${seconds.toFixed(1)}s`,
  );
}

await main();
