import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, sharedData } from "../../scripts/paths.ts";
import type { ArxivId, DailyEntryRecord, IsoDate, IsoTimestamp, PaperRecord } from "../../src/core/index.ts";
import { importFiles } from "../../src/jobs/import-files.ts";
import { parseHfDailyEntry } from "../../src/sources/hf/entry.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import type { StarObservation } from "../../src/store/store.ts";

/**
 * The benchmark's library: a SQLite store of `papers` synthetic papers made by scripts/gen-snapshot.ts from the
 * real arXiv records, imported through the real importer, plus daily lists shaped by the real Hugging Face
 * lists in ../shared/data/hf-daily/raw (same days, same number of papers a day, their upvotes, comments,
 * submitters, organisations and code links) assigned to synthetic papers of the same month, and a star history
 * for every featured repository. Built once under bench/out/ and reused while its recipe is unchanged.
 */
export interface Library {
  dbPath: string;
  papers: number;
  dailyEntries: number;
  days: number;
  latestDay: IsoDate;
  /** A paper on the latest day's list, for the paper-page route. */
  samplePaper: ArxivId;
}

/** Bump when the way the library is built changes, so cached files are rebuilt. */
const RECIPE = 1;
const DAY_MS = 86_400_000;

export async function ensureLibrary(papers: number, log: (line: string) => void): Promise<Library> {
  const outDir = join(repoRoot, "bench", "out");
  mkdirSync(outDir, { recursive: true });
  const dbPath = join(outDir, `web-${papers}.db`);
  const metaPath = `${dbPath}.json`;
  if (existsSync(dbPath) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as Library & { recipe: number };
    if (meta.recipe === RECIPE) {
      log(`reusing ${dbPath}`);
      return { ...meta, dbPath };
    }
  }
  for (const suffix of ["", "-wal", "-shm", ".json"]) rmSync(`${dbPath}${suffix}`, { force: true });
  const partial = `${dbPath}.partial`;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${partial}${suffix}`, { force: true });

  const snapshot = join(outDir, `web-snapshot-${papers}.jsonl`);
  if (!existsSync(snapshot)) {
    log(`generating ${papers} papers with scripts/gen-snapshot.ts`);
    await runNode([
      join(repoRoot, "scripts", "gen-snapshot.ts"),
      "--count",
      String(papers),
      "--out",
      snapshot,
    ]);
  }
  const started = performance.now();
  const store = openSqliteStore(partial);
  try {
    await store.migrate();
    log("importing the snapshot");
    await importFiles(store, [snapshot], { bulkThresholdBytes: 0 });
    log("adding daily lists and star histories");
    const daily = await addDailyLists(store, papers);
    const library: Library = { dbPath, papers, ...daily };
    await store.close();
    for (const suffix of ["-wal", "-shm"]) rmSync(`${partial}${suffix}`, { force: true });
    renameSync(partial, dbPath);
    writeFileSync(metaPath, JSON.stringify({ ...library, recipe: RECIPE }, null, 2));
    log(`built ${dbPath} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return library;
  } catch (error) {
    await store.close();
    throw error;
  }
}

function runNode(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args[0]} exited with ${code}`)),
    );
  });
}

/** The real lists' entries, day by day (entries the parser rejects are skipped, as a sync would). */
function realDays(): { day: IsoDate; entries: ReturnType<typeof parseHfDailyEntry>[] }[] {
  const dir = sharedData("hf-daily", "raw");
  return readdirSync(dir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name))
    .sort()
    .map((name) => {
      const day = name.slice(0, 10) as IsoDate;
      const raw = JSON.parse(readFileSync(join(dir, name), "utf8")) as unknown;
      const list = Array.isArray(raw) ? raw : [];
      const entries = list.flatMap((value) => {
        try {
          return [parseHfDailyEntry(value, day)];
        } catch {
          return [];
        }
      });
      return { day, entries };
    })
    .filter((d) => d.entries.length > 0);
}

/** gen-snapshot's ids: months from 2015-01 on, `ceil(count / 144)` ids each, numbered from 00001. */
function snapshotId(year: number, month: number, n: number): ArxivId {
  return `${String(year % 100).padStart(2, "0")}${String(month).padStart(2, "0")}.${String(n).padStart(5, "0")}` as ArxivId;
}

async function addDailyLists(
  store: ReturnType<typeof openSqliteStore>,
  papers: number,
): Promise<Omit<Library, "dbPath" | "papers">> {
  const perMonth = Math.ceil(papers / 144);
  const usedInMonth = new Map<string, number>();
  let dailyEntries = 0;
  let days = 0;
  let latestDay = "" as IsoDate;
  let samplePaper = "" as ArxivId;
  for (const { day, entries } of realDays()) {
    // A paper is featured a few days after it appears: take the next unused paper of that month.
    const from = new Date(Date.parse(`${day}T00:00:00Z`) - 3 * DAY_MS);
    const year = from.getUTCFullYear();
    const month = from.getUTCMonth() + 1;
    const monthKey = `${year}-${month}`;
    const records: PaperRecord[] = [];
    const daily: DailyEntryRecord[] = [];
    const stars: StarObservation[] = [];
    for (const { paper, daily: entry } of entries) {
      const used = usedInMonth.get(monthKey) ?? 0;
      if (used >= perMonth) break;
      usedInMonth.set(monthKey, used + 1);
      const id = snapshotId(year, month, used + 1);
      records.push({
        id,
        sources: ["hf-daily"],
        versions: [],
        codeUrl: paper.codeUrl ?? null,
        projectUrl: paper.projectUrl ?? null,
        githubStars: paper.githubStars ?? null,
        aiSummary: paper.aiSummary ?? null,
        aiKeywords: paper.aiKeywords ?? [],
        observedAt: `${day}T12:00:00.000Z` as IsoTimestamp,
      });
      daily.push({ ...entry, paperId: id });
      const repo = /^https:\/\/github\.com\/([^/\s]+\/[^/\s#?]+)/i.exec(paper.codeUrl ?? "")?.[1];
      if (repo) stars.push(...starHistory(repo.replace(/\.git$/, ""), day, paper.githubStars ?? 0));
    }
    if (daily.length === 0) continue;
    await store.ingest({ papers: records, daily, stars }, `${day}T12:00:00.000Z` as IsoTimestamp);
    dailyEntries += daily.length;
    days++;
    latestDay = day;
    samplePaper = daily[0]?.paperId ?? samplePaper;
  }
  return { dailyEntries, days, latestDay, samplePaper };
}

/** Four weekly observations ending on the featured day, rising to the stars the list gave. */
function starHistory(repo: string, day: IsoDate, finalStars: number): StarObservation[] {
  const end = Date.parse(`${day}T06:00:00Z`);
  return [3, 2, 1, 0].map((weeksBefore) => ({
    repo,
    stars: Math.round(finalStars * (1 - weeksBefore * 0.2)),
    observedAt: new Date(end - weeksBefore * 7 * DAY_MS).toISOString() as IsoTimestamp,
  }));
}
