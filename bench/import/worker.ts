/**
 * Imports files into one store in a process of its own, so the runner can measure this process's peak memory:
 *
 *   node --import tsx bench/import/worker.ts --db <sqlite path | postgres:// url> [--batch-size N] FILE...
 *
 * Prints one JSON line (a WorkerReport) on stdout.
 */
import { parseArgs } from "node:util";
import { type ImportProgress, importFiles } from "../../src/jobs/import-files.ts";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import type { Store } from "../../src/store/store.ts";
import type { WorkerReport } from "./worker-report.ts";

const SAMPLE_EVERY_MS = 5_000;
const MB = 1024 * 1024;

function openStore(db: string): Store {
  return /^postgres(ql)?:\/\//.test(db) ? openPostgresStore(db) : openSqliteStore(db);
}

async function run(db: string, files: string[], batchSize: number | undefined): Promise<WorkerReport> {
  const store = openStore(db);
  try {
    await store.migrate();
    const samples: WorkerReport["samples"] = [];
    const started = performance.now();
    let nextSample = started + SAMPLE_EVERY_MS;
    const onProgress = (p: ImportProgress) => {
      const now = performance.now();
      if (now < nextSample) return;
      nextSample = now + SAMPLE_EVERY_MS;
      const rssMb = Math.round(process.memoryUsage.rss() / MB);
      samples.push({ seconds: Math.round((now - started) / 100) / 10, read: p.summary.read, rssMb });
    };
    const summary = await importFiles(store, files, { batchSize, onProgress });
    const seconds = (performance.now() - started) / 1000;
    const stats = await store.stats();
    return {
      read: summary.read,
      added: summary.added,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
      dailyAdded: summary.daily.added,
      papersInStore: stats.papers,
      seconds,
      // ru_maxrss, in kilobytes on Linux.
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      samples,
    };
  } finally {
    await store.close();
  }
}

const { values, positionals } = parseArgs({
  options: { db: { type: "string" }, "batch-size": { type: "string" } },
  allowPositionals: true,
});
if (!values.db || positionals.length === 0) {
  console.error("usage: worker.ts --db <sqlite path | postgres:// url> [--batch-size N] FILE...");
  process.exit(2);
}
const batchSize = values["batch-size"] === undefined ? undefined : Number(values["batch-size"]);
const report = await run(values.db, positionals, batchSize);
process.stdout.write(`${JSON.stringify(report)}\n`);
