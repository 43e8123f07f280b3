import { type Command, InvalidArgumentError } from "commander";
import { type ArxivId, parseArxivId } from "../../core/index.ts";
import { createSearchService } from "../../search/service/index.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { positiveInt } from "./import.ts";

export function registerSimilar(program: Command): void {
  program
    .command("similar")
    .summary("papers like a given paper")
    .description(
      `Lists the papers nearest in meaning to a paper (by the search engine's vectors once it is built, else by its words), never the paper itself nor another version of it. The id may be written any way arXiv writes it (2405.15738, arXiv:2405.15738v2, an abs or pdf URL). Exits with 4 when the paper is not in the store.`,
    )
    .argument("<id>", "an arXiv id or URL", (v) => arxivId(v))
    .option("--json", "print as JSON")
    .option("--limit <n>", "how many (1-100)", (v) => limit(v), 10)
    .action(async (id: ArxivId, opts: { json?: boolean; limit: number }, command: Command) => {
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
    });
}

function arxivId(value: string): ArxivId {
  try {
    return parseArxivId(value).id;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function limit(value: string): number {
  const n = positiveInt("--limit", value);
  if (n > 100) throw new InvalidArgumentError(`--limit must be at most 100, got "${value}"`);
  return n;
}
