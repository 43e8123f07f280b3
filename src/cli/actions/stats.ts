import type { Command } from "commander";
import { describeDatabase } from "../../config/config.ts";
import { contextFrom } from "../context.ts";
import { formatCount } from "../format.ts";

export async function runStats(opts: { json?: boolean }, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const stats = await ctx.withStore((store) => store.stats());
  if (opts.json) {
    ctx.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    return;
  }
  const sources = Object.entries(stats.papersBySource);
  const lines = [
    `Store: ${describeDatabase(ctx.config.db)}`,
    `Papers:        ${formatCount(stats.papers)}`,
    ...sources.map(([name, n]) => `  from ${name.padEnd(15)}${formatCount(n)}`),
    `Daily entries: ${formatCount(stats.dailyEntries)} on ${formatCount(stats.dailyDays)} days` +
      (stats.oldestDailyDate ? ` (${stats.oldestDailyDate} to ${stats.newestDailyDate})` : ""),
    `Newest paper:  ${stats.newestPublishedAt ?? "none"}`,
    `Last change:   ${stats.lastUpdatedAt ?? "none"}`,
  ];
  if (stats.papers === 0) {
    lines.push("", "The store is empty. Import papers with: paperboy import FILE...");
  }
  ctx.stdout.write(`${lines.join("\n")}\n`);
}
