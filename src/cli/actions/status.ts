import type { Command } from "commander";
import { describeDatabase } from "../../config/config.ts";
import { assessFreshness, type Freshness } from "../../core/index.ts";
import { type FillStatus, readFillStatus } from "../../jobs/fill-status.ts";
import { EngineFiles } from "../../search/service/index.ts";
import type { StatusOptions } from "../commands/status.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { formatDuration } from "../format.ts";

export async function runStatus(opts: StatusOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const now = Date.now();
  const { sources, jobs, failed, fill } = await ctx.withStore(async (store) => ({
    sources: (await store.listSourceStates()).map((s) =>
      assessFreshness(s, now, ctx.config.worker.flagFailingAfterMs),
    ),
    jobs: await store.jobCounts(),
    failed: await store.listJobs({ states: ["failed"], limit: 10 }),
    fill: await readFillStatus(store, new Date(now), ctx.config.worker.schedules),
  }));
  const flagged = sources.filter((s) => s.flagged);
  const search = searchSummary(ctx.config.dataDir, ctx.config.search.rebuildDrift ?? 0.15);
  if (opts.json) {
    ctx.stdout.write(
      `${JSON.stringify(
        {
          sources,
          jobs,
          failedJobs: failed,
          flagged: flagged.length,
          activities: fill.activities,
          failures: fill.failures,
          search,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    ctx.stdout.write(
      render(describeDatabase(ctx.config.db), sources, jobs, failed, now) +
        renderSearch(search) +
        renderFill(fill, now),
    );
  }
  if (opts.check && flagged.length > 0) process.exitCode = EXIT.partial;
}

interface SearchSummary {
  papers: number;
  builtAt: string;
  embedder: string;
  delta: number;
  /** The corpus embedder's drift against papers added since the build (search/service/drift.ts), or null. */
  drift: number | null;
  driftThreshold: number;
}

/** The search engine build in this data directory, as its manifest records it (null: none or unreadable). */
function searchSummary(dataDir: string, driftThreshold: number): SearchSummary | null {
  const read = new EngineFiles(dataDir).readManifest();
  if (read.kind !== "ok") return null;
  const m = read.manifest;
  return {
    papers: m.papers,
    builtAt: m.builtAt,
    embedder: m.embedder,
    delta: m.delta?.papers ?? 0,
    drift: m.delta?.drift ?? null,
    driftThreshold,
  };
}

function renderSearch(search: SearchSummary | null): string {
  if (search === null) return "\nSearch engine: not built here (`paperboy embed --status` says more)\n";
  const drift =
    search.drift === null
      ? ""
      : `, embedder drift ${Math.round(search.drift * 100)}% (a full build retrains it past ${Math.round(search.driftThreshold * 100)}%)`;
  return (
    `\nSearch engine: ${search.papers} papers built ${search.builtAt} (${search.embedder}), ` +
    `${search.delta} in its delta${drift}\n`
  );
}

function ago(iso: string | null, now: number): string {
  return iso ? `${formatDuration((now - Date.parse(iso)) / 1000)} ago` : "never";
}

function render(
  where: string,
  sources: Freshness[],
  jobs: Record<string, number>,
  failed: { id: string; kind: string; lastError: string | null; attempts: number }[],
  now: number,
): string {
  const lines = [`Store: ${where}`, ""];
  if (sources.length === 0) {
    lines.push(
      "No source has been synced yet. `npm start` (or `paperboy worker`) fills the store; or try: paperboy sync hf",
    );
  } else {
    lines.push("Sources:");
    const width = Math.max(...sources.map((s) => s.source.length));
    for (const s of sources) {
      const mark = s.flagged
        ? "FLAGGED"
        : s.status === "failing"
          ? "failing"
          : s.status === "ok"
            ? "ok"
            : s.status;
      lines.push(
        `  ${s.source.padEnd(width)}  ${mark.padEnd(12)} last success ${ago(s.lastSuccessAt, now)}, ` +
          `newest item ${ago(s.newestItemAt, now)}` +
          (s.lastError && s.status !== "ok" ? `\n  ${" ".repeat(width)}  last error: ${s.lastError}` : ""),
      );
    }
  }
  lines.push(
    "",
    `Jobs: ${jobs.queued ?? 0} queued, ${jobs.running ?? 0} running, ${jobs.succeeded ?? 0} succeeded, ${jobs.failed ?? 0} failed`,
  );
  for (const j of failed)
    lines.push(`  failed ${j.kind} (${j.id}) after ${j.attempts} attempts: ${j.lastError ?? "?"}`);
  return `${lines.join("\n")}\n`;
}

/** What is being fetched, how far it got, and each failing source with the reason and the next try. */
function renderFill(fill: FillStatus, now: number): string {
  const lines: string[] = [];
  if (fill.activities.length > 0) {
    lines.push("", "In progress:");
    for (const a of fill.activities) {
      const progress = a.progress ? `: ${a.progress.done} of ${a.progress.total} ${a.progress.unit}` : "";
      lines.push(`  ${a.running ? "running" : "queued "}  ${a.label}${progress}`);
    }
  }
  if (fill.failures.length > 0) {
    lines.push("", "Failing sources:");
    for (const f of fill.failures) {
      const retry =
        f.retry === "now"
          ? "retrying now"
          : f.retry === null
            ? "no retry planned"
            : `next try ${f.retry} (in ${formatDuration(Math.max(0, Date.parse(f.retry) - now) / 1000)})`;
      lines.push(`  ${f.label} (${f.source}): ${f.reason.summary}; ${retry}`);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
