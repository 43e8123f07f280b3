import type { Command } from "commander";
import type { ArxivId } from "../../core/index.ts";
import { createSearchService } from "../../search/service/index.ts";
import type { SimilarOptions } from "../commands/similar.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";

export async function runSimilar(id: ArxivId, opts: SimilarOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const found = await ctx.withStore(async (store) => {
    if ((await store.getPaper(id)) === null) return null;
    const service = createSearchService({
      store,
      dataDir: ctx.config.dataDir,
      embedder: ctx.config.search.embedder,
      logger: ctx.logger,
    });
    return service.similar(id, opts.limit);
  });
  if (found === null) {
    ctx.stderr.write(`paperboy: paper ${id} is not in the store (import or sync it first)\n`);
    process.exitCode = EXIT.partial;
    return;
  }
  if (opts.json) {
    const papers = found.map((s, i) => ({
      rank: i + 1,
      id: s.paper.id,
      title: s.paper.title,
      authors: s.paper.authors,
      publishedAt: s.paper.publishedAt,
      score: s.score,
      url: s.paper.links.abs,
    }));
    ctx.stdout.write(`${JSON.stringify({ id, similar: papers }, null, 2)}\n`);
    return;
  }
  if (found.length === 0) {
    ctx.stdout.write(`No papers like ${id} were found.\n`);
    return;
  }
  const width = String(found.length).length;
  const lines = [`Papers like ${id}:`];
  found.forEach((s, i) => {
    const date = s.paper.publishedAt?.slice(0, 10) ?? "undated";
    lines.push(
      `${String(i + 1).padStart(width)}. ${s.paper.id}  ${s.paper.title.replace(/\s+/g, " ")}`,
      `${" ".repeat(width + 2)}${s.paper.authors.slice(0, 3).join(", ")} · ${date} · similarity ${s.score.toFixed(3)}`,
    );
  });
  ctx.stdout.write(`${lines.join("\n")}\n`);
}
