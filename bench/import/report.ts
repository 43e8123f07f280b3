import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { StoreKind } from "./databases.ts";
import type { WorkerReport } from "./worker-report.ts";

/** The targets: the SQLite snapshot import rate, and every import's peak memory. */
export const TARGETS = { sqliteSnapshotPapersPerSecond: 5_000, peakRssMb: 300 } as const;

export type DatasetKind = "hf-daily" | "snapshot";

export interface RunResult {
  store: StoreKind;
  dataset: DatasetKind;
  /** How the dataset reads in the table, e.g. "snapshot 1,000,000". */
  datasetLabel: string;
  files: number;
  /** Records read per second of import wall time. */
  papersPerSecond: number;
  /** Spawn to exit of the worker: process start, migrations and the import. */
  processSeconds: number;
  report: WorkerReport;
  /** Targets that apply to this run, each met or missed. */
  targets: { target: string; met: boolean }[];
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

export function checkTargets(
  store: StoreKind,
  dataset: DatasetKind,
  papersPerSecond: number,
  peakRssMb: number,
): RunResult["targets"] {
  const checks = [{ target: `peak RSS < ${TARGETS.peakRssMb} MB`, met: peakRssMb < TARGETS.peakRssMb }];
  if (store === "sqlite" && dataset === "snapshot") {
    const rate = TARGETS.sqliteSnapshotPapersPerSecond;
    checks.push({ target: `>= ${count(rate)} papers/s`, met: papersPerSecond >= rate });
  }
  return checks;
}

function verdict(result: RunResult): string {
  const missed = result.targets.filter((t) => !t.met).map((t) => t.target);
  return missed.length === 0 ? "met" : `MISSED ${missed.join(", ")}`;
}

/** One line for a run as it finishes, with the counts that show the import did what it should. */
export function describeRun(r: RunResult): string {
  const x = r.report;
  return (
    `${count(x.read)} records in ${x.seconds.toFixed(1)}s: ${count(r.papersPerSecond)} papers/s, ` +
    `peak RSS ${x.peakRssMb.toFixed(0)} MB; ${count(x.added)} added, ${count(x.rejected)} rejected, ` +
    `${count(x.papersInStore)} papers in the store`
  );
}

const HEADER = ["store", "dataset", "records", "seconds", "papers/s", "peak RSS MB", "targets"];
/** Columns aligned right (numbers). */
const NUMERIC = new Set([2, 3, 4, 5]);

export function tableRow(r: RunResult): string[] {
  return [
    r.store,
    r.datasetLabel,
    count(r.report.read),
    r.report.seconds.toFixed(1),
    count(r.papersPerSecond),
    r.report.peakRssMb.toFixed(0),
    verdict(r),
  ];
}

export function renderTable(rows: readonly string[][]): string {
  const all = [HEADER, ...rows];
  const widths = HEADER.map((_, c) => Math.max(...all.map((row) => (row[c] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (NUMERIC.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(HEADER), rule, ...rows.map(line)].join("\n");
}

export function allTargetsMet(results: readonly RunResult[]): boolean {
  return results.every((r) => r.targets.every((t) => t.met));
}

export function writeJson(path: string, content: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`);
}
