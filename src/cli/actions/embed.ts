import type { Command } from "commander";
import { assessEngine, buildInThread, EngineFiles } from "../../search/service/index.ts";
import { describeEmbedder } from "../../search/vector/create-embedder.ts";
import type { EmbedOptions } from "../commands/embed.ts";
import { contextFrom } from "../context.ts";
import { formatBytes, formatCount, formatDuration } from "../format.ts";
import { createProgress } from "../progress.ts";

export async function runEmbed(opts: EmbedOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const files = new EngineFiles(ctx.config.dataDir);
  const embedderName = describeEmbedder(ctx.config.search.embedder);
  await ctx.withStore(async (store) => {
    if (opts.rebuild) {
      // A bar on a terminal; elsewhere the build's log lines (phases, training epochs) say how far it got.
      const progress = ctx.stderr.isTTY ? createProgress(ctx.stderr) : null;
      const manifest = await buildInThread(
        { database: ctx.config.db, dataDir: ctx.config.dataDir, search: ctx.config.search },
        {
          logger: ctx.logger,
          onProgress: (p) =>
            progress?.update({
              done: p.done,
              total: p.total,
              items: p.done,
              label: `search engine: ${p.phase}`,
            }),
        },
      );
      progress?.stop();
      const bytes = Object.values(manifest.files).reduce((a, b) => a + b, 0);
      if (opts.json) ctx.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      else
        ctx.stdout.write(
          `Built the search engine from ${formatCount(manifest.papers)} papers in ` +
            `${formatDuration(manifest.buildMs / 1000)} (${formatBytes(bytes)}, ${files.enginePath(manifest)}).\n`,
        );
      return;
    }
    const a = await assessEngine(store, files, {
      rebuildGrowth: ctx.config.search.rebuildGrowth,
      embedder: embedderName,
    });
    const stale = a.staleBecause !== null && a.storePapers > 0;
    if (opts.json) {
      ctx.stdout.write(
        `${JSON.stringify(
          {
            engine: a.manifest && { ...a.manifest, file: files.enginePath(a.manifest) },
            storePapers: a.storePapers,
            stale,
            reason: a.staleBecause,
          },
          null,
          2,
        )}\n`,
      );
      return;
    }
    const lines: string[] = [];
    if (a.manifest === null) lines.push("Search engine: none usable for this store.");
    else {
      const m = a.manifest;
      lines.push(
        `Search engine: ${formatCount(m.papers)} papers, built ${m.builtAt} with the ${m.embedder} embedder`,
        `  ${files.enginePath(m)}`,
      );
    }
    lines.push(`Store: ${formatCount(a.storePapers)} papers.`);
    if (a.storePapers === 0) lines.push("Nothing to index yet: import or sync papers first.");
    else if (stale) lines.push(`A rebuild is due: ${a.staleBecause}. Run: paperboy embed --rebuild`);
    else lines.push("Up to date.");
    ctx.stdout.write(`${lines.join("\n")}\n`);
  });
}
