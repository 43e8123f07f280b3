import { createSourceClients } from "../jobs/clients.ts";
import type { SyncContext, SyncReport } from "../jobs/sync-context.ts";
import { systemClock } from "../net/clock.ts";
import type { Store } from "../store/store.ts";
import type { CliContext } from "./context.ts";
import { EXIT } from "./exit-codes.ts";
import { formatCount } from "./format.ts";
import { createProgress } from "./progress.ts";

/**
 * Runs a sync from the command line: the configured clients, a progress bar, Ctrl-C stopping between
 * batches (what landed is kept and the next run continues), and a summary at the end.
 */
export async function runSyncCommand(
  ctx: CliContext,
  options: { json?: boolean },
  sync: (sctx: SyncContext) => Promise<SyncReport>,
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const progress = createProgress(ctx.stderr);
  const started = performance.now();
  try {
    const report = await ctx.withStore((store: Store) =>
      sync({
        store,
        clients: createSourceClients(ctx.config.sources, systemClock, ctx.logger),
        clock: systemClock,
        logger: ctx.logger,
        signal: controller.signal,
        onProgress: (p) => progress.update({ done: p.done, total: p.total, items: p.items, label: p.label }),
      }),
    );
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    if (options.json)
      ctx.stdout.write(`${JSON.stringify({ ...report, seconds: Number(seconds.toFixed(3)) }, null, 2)}\n`);
    else ctx.stderr.write(renderReport(report, seconds));
    process.exitCode = report.problems.length > 0 ? EXIT.partial : EXIT.ok;
  } catch (error) {
    progress.stop();
    if (controller.signal.aborted) {
      ctx.stderr.write(
        "Interrupted: what was fetched so far is stored; run the same command again to continue.\n",
      );
      process.exitCode = EXIT.failure;
      return;
    }
    throw error;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function renderReport(r: SyncReport, seconds: number): string {
  const lines = [
    `Synced ${r.source} in ${seconds.toFixed(1)}s: ${formatCount(r.read)} received, ` +
      `${formatCount(r.papers.added)} added, ${formatCount(r.papers.updated)} updated, ` +
      `${formatCount(r.papers.unchanged)} unchanged, ${formatCount(r.problems.length)} rejected.`,
  ];
  if (r.daily.added + r.daily.updated + r.daily.unchanged > 0) {
    lines.push(
      `Daily entries: ${formatCount(r.daily.added)} added, ${formatCount(r.daily.updated)} updated, ` +
        `${formatCount(r.daily.unchanged)} unchanged.`,
    );
  }
  for (const p of r.problems.slice(0, 20)) lines.push(`  ${p.where}: ${p.reason}`);
  if (r.problems.length > 20) lines.push(`  ... and ${formatCount(r.problems.length - 20)} more`);
  return `${lines.join("\n")}\n`;
}
