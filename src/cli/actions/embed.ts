import type { Command } from "commander";
import {
  assessEngine,
  buildInThread,
  type DeltaUpdate,
  EngineFiles,
  updateEngine,
} from "../../search/service/index.ts";
import { createEmbedder, describeEmbedder } from "../../search/vector/create-embedder.ts";
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
    let delta: DeltaUpdate | null = null;
    if (!opts.status && files.exists()) {
      const update = await updateEngine({
        store,
        files,
        embedderName,
        rebuildGrowth: Number.POSITIVE_INFINITY,
        rebuildDrift: Number.POSITIVE_INFINITY,
        logger: ctx.logger,
        // Only the delta here: a full build is --rebuild's (or the worker's) to start.
        build: async () => {
          throw new Error("unreachable: no full build without --rebuild");
        },
        embedder: () =>
          createEmbedder(ctx.config.search.embedder, { dataDir: ctx.config.dataDir, logger: ctx.logger }),
      }).catch((error: unknown) => {
        ctx.logger.warn("the search engine's delta could not be updated", { error: String(error) });
        return null;
      });
      delta = update?.delta ?? null;
    }
    const a = await assessEngine(store, files, {
      rebuildGrowth: ctx.config.search.rebuildGrowth,
      rebuildDrift: ctx.config.search.rebuildDrift,
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
            delta: delta && {
              papers: delta.papers,
              deleted: delta.deleted,
              embedded: delta.embedded,
              drift: delta.drift,
              ms: delta.ms,
            },
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
    if (a.manifest?.delta) {
      const d = a.manifest.delta;
      lines.push(
        `  plus ${formatCount(d.papers)} papers stored since in its delta (${formatCount(d.deleted)} masked in the build), updated ${d.builtAt}` +
          (delta?.written ? ` in ${formatDuration(delta.ms / 1000)}` : ""),
      );
      if (d.drift !== undefined)
        lines.push(
          `  embedder drift ${Math.round(d.drift * 100)}% over the ${formatCount(d.driftPapers ?? 0)} papers added ` +
            `since the build: the share of their words (tf-idf weighted) ` +
            `the embedder does not know; a full build retrains it past ` +
            `${Math.round((ctx.config.search.rebuildDrift ?? 0.15) * 100)}%`,
        );
    }
    lines.push(`Store: ${formatCount(a.storePapers)} papers.`);
    if (a.storePapers === 0) lines.push("Nothing to index yet: import or sync papers first.");
    else if (stale) lines.push(`A rebuild is due: ${a.staleBecause}. Run: paperboy embed --rebuild`);
    else lines.push("Up to date.");
    ctx.stdout.write(`${lines.join("\n")}\n`);
  });
}
