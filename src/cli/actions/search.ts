import type { Command } from "commander";
import type { IsoDate } from "../../core/index.ts";
import { createSearchService, type PaperHit, type PaperResults } from "../../search/service/index.ts";
import type { SearchFilters, TextPiece } from "../../store/search/index.ts";
import type { SearchOptions } from "../commands/search.ts";
import type { CliContext } from "../context.ts";
import { contextFrom } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { formatCount } from "../format.ts";

export async function runSearch(query: string, opts: SearchOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const results = await ctx.withStore(async (store) => {
    const service = createSearchService({
      store,
      dataDir: ctx.config.dataDir,
      embedder: ctx.config.search.embedder,
      rebuildGrowth: ctx.config.search.rebuildGrowth,
      logger: ctx.logger,
    });
    return service.search({
      q: query,
      mode: opts.mode,
      sort: opts.sort,
      filters: filtersOf(opts),
      page: opts.page,
      perPage: opts.limit,
      spelling: opts.asTyped === true ? "suggest" : "correct",
    });
  });
  if (opts.json) ctx.stdout.write(`${JSON.stringify(toJson(query, results), null, 2)}\n`);
  else render(ctx, query, results);
  process.exitCode = results.problem === null ? EXIT.ok : EXIT.partial;
}

/** The flags as filters; `--year` is `--since` and `--until` (the narrower bound wins where both are given). */
function filtersOf(opts: SearchOptions): SearchFilters {
  const filters: SearchFilters = {};
  if (opts.author.length > 0) filters.authors = opts.author;
  if (opts.cat.length > 0) filters.categories = opts.cat;
  let since = opts.since;
  let until = opts.until;
  if (opts.year !== undefined) {
    const first = `${opts.year}-01-01` as IsoDate;
    const last = `${opts.year}-12-31` as IsoDate;
    since = since === undefined || first > since ? first : since;
    until = until === undefined || last < until ? last : until;
  }
  if (since !== undefined) filters.since = since;
  if (until !== undefined) filters.until = until;
  return filters;
}

function toJson(query: string, r: PaperResults) {
  const offset = (r.page - 1) * r.perPage;
  return {
    query,
    mode: r.mode,
    total: r.total,
    page: r.page,
    perPage: r.perPage,
    filters: r.filters,
    notes: r.notes,
    problem: r.problem,
    suggestion: r.suggestion,
    correctedFrom: r.correctedFrom,
    typedHasResults: r.typedHasResults,
    author: r.author,
    hits: r.hits.map((h: PaperHit, i) => ({
      rank: offset + i + 1,
      id: h.paper.id,
      title: h.paper.title,
      authors: h.paper.authors,
      categories: h.paper.categories,
      publishedAt: h.paper.publishedAt,
      score: h.score,
      upvotes: h.upvotes,
      url: h.paper.links.abs,
      highlights: { title: h.title, snippet: h.snippet },
    })),
  };
}

function render(ctx: CliContext, query: string, r: PaperResults): void {
  const out = ctx.stdout;
  const tty = (out as NodeJS.WriteStream).isTTY === true;
  const mark = (pieces: readonly TextPiece[]) =>
    pieces.map((p) => (p.match ? (tty ? `\x1b[1m${p.text}\x1b[22m` : `**${p.text}**`) : p.text)).join("");
  const lines: string[] = [];
  for (const note of r.notes) lines.push(`Note: ${note}`);
  if (r.problem !== null) {
    lines.push(`Nothing searched: ${r.problem}`);
    out.write(`${lines.join("\n")}\n`);
    return;
  }
  const pages = Math.max(1, Math.ceil(r.total / r.perPage));
  // When the suggestion found papers, the results are its own (unless --as-typed).
  const searched = r.correctedFrom !== null ? (r.suggestion ?? query) : query;
  if (r.correctedFrom !== null && r.typedHasResults) {
    lines.push(`Showing results for "${searched}". Search instead for "${r.correctedFrom}": add --as-typed.`);
  } else if (r.correctedFrom !== null) {
    lines.push(`No papers match "${r.correctedFrom}". Showing results for "${searched}".`);
  }
  lines.push(
    `${formatCount(r.total)} result${r.total === 1 ? "" : "s"} for "${searched}" (${r.mode}), page ${r.page} of ${pages}`,
  );
  if (r.correctedFrom === null && r.suggestion !== null) lines.push(`Did you mean: ${r.suggestion}`);
  if (r.author !== null) {
    const papers = `${formatCount(r.author.papers)} paper${r.author.papers === 1 ? "" : "s"}`;
    lines.push(`Papers by ${r.author.name} (${papers}): paperboy search 'author:"${r.author.name}"'`);
  }
  if (r.hits.length === 0) {
    lines.push(r.total > 0 ? "No results on this page." : "No papers match.");
  }
  const offset = (r.page - 1) * r.perPage;
  const width = String(offset + r.hits.length).length;
  r.hits.forEach((h, i) => {
    const indent = " ".repeat(width + 2);
    const authors = shortAuthors(h.paper.authors);
    const date = h.paper.publishedAt?.slice(0, 10) ?? "undated";
    const facts = [authors, date, h.paper.categories[0], h.upvotes > 0 ? `${h.upvotes} upvotes` : null]
      .filter((x) => x)
      .join(" · ");
    lines.push(
      "",
      `${String(offset + i + 1).padStart(width)}. ${h.paper.id}  ${oneLine(mark(h.title))}`,
      `${indent}${facts}`,
      `${indent}${oneLine(mark(h.snippet))}`,
    );
  });
  out.write(`${lines.join("\n")}\n`);
}

function shortAuthors(authors: readonly string[]): string {
  if (authors.length <= 3) return authors.join(", ");
  return `${authors.slice(0, 3).join(", ")} and ${authors.length - 3} more`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
