import { type Command, InvalidArgumentError, Option } from "commander";
import { type IsoDate, parseIsoDate } from "../../core/index.ts";
import type { SearchMode } from "../../search/engine.ts";
import type { SearchSort } from "../../store/search/index.ts";
import { positiveInt } from "./import.ts";

export interface SearchOptions {
  json?: boolean;
  mode?: SearchMode;
  sort: SearchSort;
  author: string[];
  cat: string[];
  since?: IsoDate;
  until?: IsoDate;
  year?: number;
  page: number;
  limit: number;
  asTyped?: boolean;
}

export function registerSearch(program: Command): void {
  program
    .command("search")
    .summary("search the papers by words and by meaning")
    .description(
      `Searches the store the way the site does. The query may carry filters: author:Name, author:First Last (up to the next filter; initials and accents optional), cat:cs.LG, since:2024-01-01, until:2024-12-31, year:2024, "a phrase", -excluded. Relevance ranking uses the search engine (hybrid: words and meaning) once it is built (paperboy embed --rebuild, or the worker); until then, the store's keyword search. --sort date|upvotes lists the papers with all the words, plus (except in --mode keyword) the engine's best 50 by relevance. A query that is just an author's name also names their papers. Matches are marked in the snippets. Exits with 4 when the query cannot be searched (only common words, say), with the reason.`,
    )
    .argument("<query>", "what to look for")
    .option("--json", "print the results as JSON")
    .addOption(new Option("--mode <mode>", "keyword, vector or hybrid (default hybrid)").choices(MODES))
    .addOption(
      new Option("--sort <order>", "relevance, date (newest first) or upvotes")
        .choices(SORTS)
        .default("relevance"),
    )
    .option("--author <name>", "only papers by this author (repeat for several)", collect, [])
    .option(
      "--cat <category>",
      "only papers in this category, e.g. cs.LG (repeat for any of several)",
      collect,
      [],
    )
    .option("--since <date>", "published on or after this day (YYYY-MM-DD)", (v) => isoDate("--since", v))
    .option("--until <date>", "published on or before this day (YYYY-MM-DD)", (v) => isoDate("--until", v))
    .option("--year <year>", "published in this year", (v) => year(v))
    .option("--page <n>", "page of results", (v) => positiveInt("--page", v), 1)
    .option("--limit <n>", "results per page (1-100)", (v) => perPage(v), 10)
    .option("--as-typed", "search the words as typed, never the spelling suggestion instead")
    .action(async (query: string, opts: SearchOptions, command: Command) =>
      (await import("../actions/search.ts")).runSearch(query, opts, command),
    );
}

const MODES = ["keyword", "vector", "hybrid"];
const SORTS = ["relevance", "date", "upvotes"];

function collect(value: string, previous: string[]): string[] {
  if (value.trim() === "") throw new InvalidArgumentError("must not be empty");
  return [...previous, value];
}

function isoDate(flag: string, value: string): IsoDate {
  try {
    return parseIsoDate(value);
  } catch {
    throw new InvalidArgumentError(`${flag} must be a day as YYYY-MM-DD, got "${value}"`);
  }
}

function year(value: string): number {
  const n = Number(value);
  if (!/^\d{4}$/.test(value.trim()) || n < 1900) {
    throw new InvalidArgumentError(`--year must be a four-digit year, got "${value}"`);
  }
  return n;
}

function perPage(value: string): number {
  const n = positiveInt("--limit", value);
  if (n > 100) throw new InvalidArgumentError(`--limit must be at most 100, got "${value}"`);
  return n;
}
